package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func estCases(t *testing.T, ids ...string) []catalog.Case {
	t.Helper()
	var out []catalog.Case
	for _, id := range ids {
		c, ok := testFixtures(t).Catalogue.Get(id)
		if !ok {
			t.Fatalf("no case %s", id)
		}
		out = append(out, c)
	}
	return out
}

// The est cases end to end against the reference client: decided at the
// LwM2M server, the servers' timelines merged, the CSRs and certificates
// in the evidence.
func TestESTCasesAgainstReference(t *testing.T) {
	r := referenceRunner(t)
	r.EvidenceRoot = t.TempDir()
	cases := estCases(t, "est/enroll/after-finish", "est/trust/outside-crts", "est/refuse/wrong-key", "est/restart/no-new-enroll")
	res := r.RunAll(context.Background(), cases, 4, nil)
	want := []struct {
		outcome verdict.Outcome
		by      string
	}{
		{verdict.Accepted, "register"},
		{verdict.Rejected, "alert_received"},
		{verdict.Rejected, "register after a good answer"},
		{verdict.Accepted, "register"},
	}
	for i, w := range want {
		got := res[i]
		if got.Verdict == verdict.Fail || got.Observation.Outcome != w.outcome || got.Observation.DecidedBy != w.by {
			t.Errorf("%s: %s %+v, want %s by %s\n%s\n%s", got.Case.ID, got.Verdict, got.Observation, w.outcome, w.by, got.Reason, timelineOf(got.Events))
		}
	}
	peers := map[string]int{}
	for _, e := range res[0].Events {
		peers[e.Fields[harnessPeer]]++
		if e.Kind == events.Register && e.Fields[harnessPeer] != peerLwM2M {
			t.Errorf("Register tagged %q", e.Fields[harnessPeer])
		}
	}
	if peers[peerBootstrap] == 0 || peers[peerLwM2M] == 0 || peers[""] != 0 {
		t.Errorf("merged timeline: %v", peers)
	}
	dir := filepath.Join(res[2].EvidenceDir, "est")
	for _, f := range []string{"ca.pem", "01-sen-wrong-key.csr.pem", "01-sen-wrong-key.crt.pem", "02-sen.csr.pem", "02-sen.crt.pem"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.HasPrefix(string(b), "-----BEGIN ") {
			t.Errorf("evidence %s: %v", f, err)
		}
	}
}

func timelineOf(evs []events.Event) string {
	var b strings.Builder
	for _, e := range evs {
		if e.Kind != events.Record {
			b.WriteString(e.Time.Format("15:04:05.000") + " " + e.Fields[harnessPeer] + " " + string(e.Kind) + " " + e.Summary + "\n")
		}
	}
	return b.String()
}

type noESTAdapter struct{ sut.Adapter }

func (a noESTAdapter) Capabilities() sut.Capabilities {
	c := a.Adapter.Capabilities()
	c.EST = false
	return c
}

// Without the est capability, or with an adapter that cannot start a SUT
// from a bootstrap account, an est case is skipped with the reason.
func TestESTSkips(t *testing.T) {
	c := estCases(t, "est/enroll/after-finish")[0]
	r := &Runner{PKI: testPKI(t), Adapter: noESTAdapter{sut.NewReference(sut.ReferenceOptions{})}}
	res := r.Run(context.Background(), c)
	if res.Verdict != verdict.Skip || res.Reason != "the SUT profile does not declare est" {
		t.Fatalf("without est: %s %q", res.Verdict, res.Reason)
	}
}
