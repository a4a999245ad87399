package verdict

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
)

// The verdict table of DESIGN.md, written out literally.
func TestJudge(t *testing.T) {
	acc := catalog.Case{Expect: catalog.Accept, Basis: catalog.BasisSeed}
	rej := catalog.Case{Expect: catalog.Reject, Basis: catalog.BasisSeed}
	open := catalog.Case{Expect: catalog.Reject, Basis: catalog.BasisUnspecified}
	unval := catalog.Case{Expect: catalog.Accept, Basis: catalog.BasisSeed, Unvalidated: true}
	accepted := Observation{Outcome: Accepted}
	rejected := Observation{Outcome: Rejected, Alert: "bad_certificate"}
	for _, tc := range []struct {
		name string
		c    catalog.Case
		o    Observation
		want Verdict
	}{
		{"accept as expected", acc, accepted, Pass},
		{"reject as expected", rej, rejected, Pass},
		{"silent reject as expected", rej, Observation{Outcome: Rejected, Silent: true}, Pass},
		{"refused provisioning on a reject cell", rej, Observation{Outcome: Refused, Exit: "exit status 1"}, Pass},
		{"refused provisioning on an accept cell", acc, Observation{Outcome: Refused, Exit: "exit status 1"}, Fail},
		{"accepted what must be rejected", rej, accepted, Fail},
		{"rejected what must be accepted", acc, rejected, Fail},
		{"never started", acc, Observation{Outcome: Error}, Fail},
		{"timed out on a reject cell", rej, Observation{Outcome: Timeout}, Fail},
		{"crashed on a reject cell", rej, Observation{Outcome: Crashed, Exit: "signal: killed"}, Fail},
		{"inconclusive clean failure", rej, Observation{Outcome: Inconclusive}, Fail},
		{"unspecified accepted", open, accepted, Info},
		{"unspecified rejected", open, rejected, Info},
		// Only accept and reject are decisions; the rest is never INFO.
		{"unspecified timed out", open, Observation{Outcome: Timeout}, Fail},
		{"unspecified crashed", open, Observation{Outcome: Crashed}, Fail},
		{"unspecified error", open, Observation{Outcome: Error}, Fail},
		{"accepted without validation", unval, accepted, Warn},
		{"rejected the no-validation fallback", unval, rejected, Fail},
	} {
		if got, why := Judge(tc.c, tc.o); got != tc.want {
			t.Errorf("%s: got %s (%s), want %s", tc.name, got, why, tc.want)
		}
	}
}

func TestObservationString(t *testing.T) {
	for o, want := range map[Observation]string{
		{Outcome: Rejected, Alert: "bad_certificate"}:          "rejected (alert bad_certificate)",
		{Outcome: Rejected, Silent: true}:                      "rejected (silent)",
		{Outcome: Timeout}:                                     "timeout",
		{Outcome: Crashed, Exit: "signal: segmentation fault"}: "crashed (signal: segmentation fault)",
		{Outcome: Refused, Exit: "exit status 2"}:              "refused (exit status 2)",
	} {
		if got := o.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// The case verdict is the worst of its checks; a failed wire check does not
// hide the decision, which stays its own check.
func TestCombine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks []Check
		want   Verdict
		reason string
	}{
		{"all pass", []Check{{Name: CheckDecision, Verdict: Pass, Message: "ok"}, {Name: CheckSNI, Verdict: Pass, Message: "sni ok"}}, Pass, "ok"},
		{"wire fail over a passing decision", []Check{{Name: CheckDecision, Verdict: Pass, Message: "ok"}, {Name: CheckSNI, Verdict: Fail, Message: "no SNI"}}, Fail, "sni: no SNI"},
		{"decision fail first", []Check{{Name: CheckDecision, Verdict: Fail, Message: "accepted"}, {Name: CheckSNI, Verdict: Fail, Message: "no SNI"}}, Fail, "accepted"},
		{"warn over info", []Check{{Name: CheckDecision, Verdict: Info, Message: "open"}, {Name: CheckWeakSuites, Verdict: Warn, Message: "legacy"}}, Warn, "weak-suites: legacy"},
		{"skipped wire check ignored", []Check{{Name: CheckDecision, Verdict: Pass, Message: "ok"}, {Name: CheckSNI, Verdict: Skip, Message: "sni: false"}}, Pass, "ok"},
	} {
		r := Result{Checks: tc.checks}
		r.Combine()
		if r.Verdict != tc.want || r.Reason != tc.reason {
			t.Errorf("%s: got %s %q, want %s %q", tc.name, r.Verdict, r.Reason, tc.want, tc.reason)
		}
	}
	r := Result{Checks: []Check{{Name: CheckDecision, Verdict: Pass}, {Name: CheckSNI, Verdict: Fail}, {Name: CheckCID, Verdict: Fail}}}
	if got := r.FailedChecks(); len(got) != 2 || got[0] != CheckSNI || got[1] != CheckCID {
		t.Errorf("FailedChecks = %v", got)
	}
}
