package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// baselined wraps an adapter with a baseline entry for every case.
type baselined struct{ sut.Adapter }

func (baselined) Baseline(string) string { return "known: accepts anything" }

// A deviation listed in the baseline stays FAIL with its reason attached
// (the reports show it as known); an entry whose case now passes is stale
// and fails, so the change shows up.
func TestBaselineKnownAndStale(t *testing.T) {
	insecure := &Runner{PKI: testPKI(t), Adapter: baselined{sut.NewReference(sut.ReferenceOptions{InsecureAcceptAnyServer: true})}}
	c, _ := testFixtures(t).Catalogue.Get("certusage/u3/spk-other-leaf/ts-absent/chain-leaf-int")
	res := insecure.Run(context.Background(), c)
	if res.Verdict != verdict.Fail || res.Baseline != "known: accepts anything" {
		t.Fatalf("known deviation: verdict %s baseline %q", res.Verdict, res.Baseline)
	}
	good := &Runner{PKI: testPKI(t), Adapter: baselined{sut.NewReference(sut.ReferenceOptions{})}}
	res = good.Run(context.Background(), c)
	if res.Verdict != verdict.Fail || res.Baseline != "" || !strings.Contains(res.Reason, "remove the entry") {
		t.Fatalf("stale entry: verdict %s baseline %q reason %q", res.Verdict, res.Baseline, res.Reason)
	}
}
