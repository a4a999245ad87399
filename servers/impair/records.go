package impair

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// recordEvents describes each record of datagram #n from direction d, with
// what the proxy did to the datagram. The field names follow the harness
// server's own Record events, with dir "up" (SUT→server) or "down".
func recordEvents(d Dir, n int, remote string, recs []dtlswire.Record, v verdict, at time.Time) []events.Event {
	out := make([]events.Event, 0, len(recs))
	for _, r := range recs {
		f, what := dtlswire.Describe(r)
		f["dir"], f["n"], f["remote"] = d.String(), strconv.Itoa(n), remote
		if r.ContentType == dtlswire.ContentAlert && r.Epoch == 0 {
			// A plaintext alert is the SUT's decision even when the
			// impairment then drops it: name it.
			if a, err := dtlswire.ParseAlert(r.Fragment); err == nil {
				f["alert"] = a.Name
				what += " " + a.Name
			}
		}
		if v.drop != "" {
			f["dropped"] = "true"
			f["reason"] = v.drop
		}
		if v.duplicate {
			f["duplicated"] = "true"
		}
		if v.delay > 0 {
			f["delayed"] = v.delay.String()
		}
		if v.held {
			f["reordered"] = "true"
		}
		summary := fmt.Sprintf("%s #%d %s epoch %d seq %d (%d bytes)", d, n, what, r.Epoch, r.Seq, r.Length)
		if v.impaired() {
			summary += ": " + v.String()
		}
		out = append(out, events.Event{Time: at, Kind: events.Record, Summary: summary, Fields: f})
	}
	return out
}
