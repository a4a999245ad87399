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
		{"accepted what must be rejected", rej, accepted, Fail},
		{"rejected what must be accepted", acc, rejected, Fail},
		{"never started", acc, Observation{Outcome: Error}, Fail},
		{"hung", rej, Observation{Outcome: Hang}, Fail},
		{"unspecified accepted", open, accepted, Info},
		{"unspecified rejected", open, rejected, Info},
		{"unspecified hung", open, Observation{Outcome: Hang}, Info},
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
		{Outcome: Rejected, Alert: "bad_certificate"}: "rejected (alert bad_certificate)",
		{Outcome: Rejected, Silent: true}:             "rejected (silent)",
		{Outcome: Hang}:                               "hang",
	} {
		if got := o.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
