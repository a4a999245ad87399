package report

import (
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// estRow is one EST-coaps exchange of a case, as the harness EST server
// saw the request and sent its answer (RFC 9148).
type estRow struct {
	Offset, Op, Request, Formats, Blocks, Code, Answer, Note string
}

// estTimeline lists a case's EST exchanges in order: which resource the
// client asked for under which root, in which formats and blocks, and what
// it got back (serial, fault, Max-Age).
func estTimeline(es []events.Event) []estRow {
	first := firstEventTime(es)
	var rows []estRow
	for _, e := range es {
		f := e.Fields
		if e.Kind != events.Request || f["what"] != "est" {
			continue
		}
		r := estRow{
			Offset:  offset(e.Time, first),
			Op:      f["op"],
			Request: f["method"] + " " + f["path"] + query(f["query"]),
			Formats: joinNonEmpty("ct "+f["ct"], f["ct"], "accept "+f["accept"], f["accept"]),
			Blocks:  joinNonEmpty("Block1 "+f["block1"], f["block1"], "Block2 "+f["block2"], f["block2"]),
			Code:    f["code"],
			Answer: joinNonEmpty("ct "+f["resp_ct"], f["resp_ct"], f["size"]+" bytes", f["size"],
				"Block2 "+f["resp_block2"], f["resp_block2"], "Max-Age "+f["max_age"], f["max_age"]),
			Note: joinNonEmpty("serial "+f["serial"], f["serial"], "fault "+f["fault"], f["fault"],
				"after discovery", trueOrEmpty(f["discovery_used"]), f["error"], f["error"]),
		}
		rows = append(rows, r)
	}
	return rows
}

func query(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

func trueOrEmpty(s string) string {
	if s == "true" {
		return s
	}
	return ""
}

// joinNonEmpty joins each text whose guard is not empty: text, guard, ….
func joinNonEmpty(pairs ...string) string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, cleanText(pairs[i]))
		}
	}
	return strings.Join(out, ", ")
}
