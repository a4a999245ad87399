package servers

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// Record event directions, the impairment proxy's names: up is SUT→server.
const (
	dirUp   = "up"
	dirDown = "down"
)

// maxRecordEvents bounds the Record events of one server, so a SUT spraying
// datagrams cannot grow the timeline without limit.
const maxRecordEvents = 2000

// recordEvents emits one Record event per record header. They are the
// timeline of who spoke when, so they are always on; observer=server tells
// them from the proxy's events for the same records.
func (t *wireTap) recordEvents(dir, sid string, peer net.Addr, recs []dtlswire.Record, at time.Time) {
	for _, r := range recs {
		if n := t.records.Add(1); n > maxRecordEvents {
			if n == maxRecordEvents+1 {
				t.rec.add(at, events.Note, fmt.Sprintf("%d record events recorded; further records are not itemised", maxRecordEvents),
					map[string]string{"what": "records_capped", "limit": strconv.Itoa(maxRecordEvents)})
			}
			return
		}
		f, what := dtlswire.Describe(r)
		f["dir"], f["observer"], f["remote"], f["session"] = dir, "server", peer.String(), sid
		t.rec.add(at, events.Record, fmt.Sprintf("%s %s epoch %d seq %d (%d bytes)", dir, what, r.Epoch, r.Seq, r.Length), f)
	}
}
