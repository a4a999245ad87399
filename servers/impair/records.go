package impair

import (
	"encoding/hex"
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
		f := map[string]string{
			"dir":     d.String(),
			"n":       strconv.Itoa(n),
			"remote":  remote,
			"type":    dtlswire.ContentTypeName(r.ContentType),
			"version": dtlswire.VersionName(r.Version),
			"epoch":   strconv.Itoa(int(r.Epoch)),
			"seq":     strconv.FormatUint(r.Seq, 10),
			"length":  strconv.Itoa(r.Length),
		}
		what := f["type"]
		if r.CID != nil {
			f["cid"] = hex.EncodeToString(r.CID)
			what += " cid " + f["cid"]
		}
		if r.ContentType == dtlswire.ContentHandshake && r.Epoch == 0 {
			if hh, _, err := dtlswire.ParseHandshakeHeader(r.Fragment); err == nil {
				f["handshake"] = dtlswire.HandshakeTypeName(hh.Type)
				f["message_seq"] = strconv.Itoa(int(hh.MessageSeq))
				what += " " + f["handshake"]
			}
		}
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
