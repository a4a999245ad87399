package report

import (
	"html"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// An est case's page shows its EST exchanges in order, as a timeline:
// the resource and root, the formats and blocks, the code and answer.
func TestCasePageShowsESTExchanges(t *testing.T) {
	t0 := time.Unix(1000, 0)
	est := func(at time.Duration, f map[string]string) events.Event {
		f["what"] = "est"
		return events.Event{Time: t0.Add(at), Kind: events.Request, Summary: "EST", Fields: f}
	}
	res := verdict.Result{Case: catalog.Case{ID: "est/sen/retry-later", Area: "est", Expect: catalog.Accept, Basis: catalog.BasisRFC},
		Observation: verdict.Observation{Outcome: verdict.Accepted}, Verdict: verdict.Pass,
		Checks: []verdict.Check{{Name: verdict.CheckDecision, Verdict: verdict.Pass, Message: "ok"}},
		Events: []events.Event{
			{Time: t0, Kind: events.Note, Summary: "start"},
			est(10*time.Millisecond, map[string]string{"op": "crts", "method": "GET", "path": "/.well-known/est/crts", "accept": "281", "code": "2.05", "resp_ct": "281", "size": "412"}),
			est(30*time.Millisecond, map[string]string{"op": "sen", "method": "POST", "path": "/.well-known/est/sen", "ct": "286", "code": "5.03", "max_age": "2", "fault": "retry-later"}),
			est(2050*time.Millisecond, map[string]string{"op": "sen", "method": "POST", "path": "/.well-known/est/sen", "ct": "286", "block2": "0/0/64", "code": "2.04", "resp_ct": "287", "size": "380", "serial": "5a"}),
		}}
	dir, _ := writeHTML(t, Run{SUT: "s", Results: []verdict.Result{res}})
	page := html.UnescapeString(readFile(t, filepath.Join(dir, casesDir, slug(res.Case.ID)+".html")))
	i := strings.Index(page, `<h2 id="est">EST exchanges</h2>`)
	if i < 0 {
		t.Fatal("no EST section")
	}
	sec := page[i:strings.Index(page, "<h2>Timeline</h2>")]
	for _, want := range []string{
		"<td>crts</td><td class=\"mono\">GET /.well-known/est/crts</td><td class=\"mono\">accept 281</td>",
		"<td class=\"mono\">5.03</td><td class=\"mono\">Max-Age 2</td><td>fault retry-later</td>",
		"<td class=\"mono\">+2.050 s</td><td>sen</td>",
		"ct 287, 380 bytes", "serial 5a", "Block2 0/0/64",
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("EST section lacks %q:\n%s", want, sec)
		}
	}
}
