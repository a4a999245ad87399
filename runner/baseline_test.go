package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// baselined wraps an adapter with one pinned deviation for every case.
type baselined struct {
	sut.Adapter
	d sut.Deviation
}

func (b baselined) Baseline(string) (sut.Deviation, bool) { return b.d, true }

// A deviation is known only while the SUT does exactly what the entry
// pins; a case that now passes makes the entry stale; anything else is a
// changed deviation. All three FAIL; only the first carries the reason as
// known.
func TestBaselinePinned(t *testing.T) {
	c, _ := testFixtures(t).Catalogue.Get("certusage/u3/spk-other-leaf/ts-absent/chain-leaf-int")
	insecure := sut.NewReference(sut.ReferenceOptions{InsecureAcceptAnyServer: true})
	strict := sut.NewReference(sut.ReferenceOptions{})
	acceptsAnything := sut.Deviation{Reason: "known: accepts anything", Outcome: "accepted", Checks: []string{"decision"}}
	// A client once known only for a wire deviation on this cell: it
	// rejected correctly but sent no SNI. If it starts accepting every
	// server, an id-only baseline would still call that "known".
	noSNI := sut.Deviation{Reason: "known: no SNI", Outcome: "rejected", Checks: []string{"sni"}}
	for _, tc := range []struct {
		name         string
		adapter      sut.Adapter
		d            sut.Deviation
		wantBaseline string
		wantReason   string
	}{
		{"known deviation", insecure, acceptsAnything, "known: accepts anything", ""},
		{"stale entry", strict, acceptsAnything, "", "remove the entry"},
		{"changed deviation", insecure, noSNI, "", "known deviation changed: the baseline pins rejected with failed sni, now accepted with failed decision"},
	} {
		r := &Runner{PKI: testPKI(t), Adapter: baselined{tc.adapter, tc.d}}
		res := r.Run(context.Background(), c)
		if res.Verdict != verdict.Fail || res.Baseline != tc.wantBaseline || !strings.Contains(res.Reason, tc.wantReason) {
			t.Errorf("%s: verdict %s baseline %q reason %q", tc.name, res.Verdict, res.Baseline, res.Reason)
		}
	}
}
