package mutation

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Prediction is what a faulty client must produce on one case.
type Prediction struct {
	Outcome verdict.Outcome
	Failed  []string // failed checks in the runner's order; none = the case does not FAIL
}

// Fails reports whether the case must FAIL.
func (p Prediction) Fails() bool { return len(p.Failed) > 0 }

// Modelled reports whether Predict covers case c for a client behaving
// as b: every case outside the est area; an est case for the correct
// client and the Security Mode 4 defects (est.go). What the other faults
// do to a mode 4 client (a verifier fault on the bootstrap server's
// connection, a crash after its handshake) is not predicted.
func Modelled(b Behaviour, c catalog.Case) bool {
	return c.EST == nil || b == Behaviour{} || b.est()
}

// Predict computes the outcome and the failed checks of a modelled case c
// for a client behaving as b, from the case data and the check rules of
// DESIGN-NOTES.md, as judged for a profile declaring every capability the
// case needs (a capability gap skips a case before the client runs, so no
// fault changes it).
func Predict(p PKI, b Behaviour, c catalog.Case) (Prediction, error) {
	if !Modelled(b, c) {
		return Prediction{}, fmt.Errorf("%s: not modelled", c.ID)
	}
	if c.EST != nil {
		return predictEST(p, b, c)
	}
	accept := c.Expect == catalog.Accept // the correct client decides as the table
	if c.SUT.Mode == "cert" {
		a, _, err := p.decide(inputFor(c, b))
		if err != nil {
			return Prediction{}, err
		}
		accept = a || b.AcceptAny
	}
	out := verdict.Rejected
	switch {
	case b.ExitAtStart:
		out = verdict.Error
	case accept && b.CrashAfterHandshake:
		out = verdict.Crashed
	case accept:
		out = verdict.Accepted
	}
	hello := !b.ExitAtStart
	handshake := hello && accept
	scenario := c.Scenario != "" && out == verdict.Accepted // it runs after the first Register

	var failed []string
	fail := func(check string, cond bool) {
		if cond {
			failed = append(failed, check)
		}
	}
	fail(verdict.CheckDecision, decisionFails(c, out))
	fail(verdict.CheckSNI, hello && sniFails(c, sentSNI(b, c)))
	fail(verdict.CheckSuites, hello && c.Wire.SuitesExactly && (b.ExtraSuite || b.NullSuite))
	fail(verdict.CheckWeakSuites, hello && c.Wire.WeakSuites && b.NullSuite)
	// A crash leaves no record after the handshake to carry the CID: pass.
	fail(verdict.CheckCID, handshake && c.Wire.CID && b.NoCID)
	// Without a CID the rebinding breaks the session: the client recovers
	// with a new handshake, as the catalogue's cid/rebind-without-cid shows.
	fail(verdict.CheckSameSession, scenario && c.Wire.SameSession && b.NoCID)
	fail(verdict.CheckResumed, scenario && c.Wire.Resumed && b.NoResume)
	fail(verdict.CheckStayAlive, c.StayAlive && (b.ExitAtStart || out == verdict.Crashed))
	return Prediction{Outcome: out, Failed: failed}, nil
}

// decisionFails: only accept and reject are decisions; a basis-unspecified
// cell is INFO for either.
func decisionFails(c catalog.Case, out verdict.Outcome) bool {
	switch out {
	case verdict.Accepted:
		return c.Basis != catalog.BasisUnspecified && c.Expect != catalog.Accept
	case verdict.Rejected:
		return c.Basis != catalog.BasisUnspecified && c.Expect != catalog.Reject
	}
	return true
}

// sentSNI is the server_name the client puts in its first ClientHello.
func sentSNI(b Behaviour, c catalog.Case) string {
	ref := c.SUT.Host
	if c.SUT.SNI != "" {
		ref = c.SUT.SNI
	}
	switch {
	case b.SNI == SNINone:
		return ""
	case b.SNI == SNIIPLiteral:
		return ref
	case isIP(ref):
		return ""
	}
	return ref
}

// sniFails: an IP literal fails wherever it is seen (RFC 6066 §3);
// presence and value are judged where the case expects them, in the sni
// area or where /0/x/14 is set.
func sniFails(c catalog.Case, sent string) bool {
	switch {
	case isIP(sent):
		return true
	case c.Wire.NoSNI:
		return sent != ""
	case c.Wire.SNI == "" || !c.HasLabel("sni") && c.SUT.SNI == "":
		return false
	}
	return sent != c.Wire.SNI
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return s != "" && err == nil
}

// Expected predicts every modelled case, keyed by id.
func Expected(p PKI, b Behaviour, cases []catalog.Case) (map[string]Prediction, error) {
	out := make(map[string]Prediction, len(cases))
	for _, c := range cases {
		if !Modelled(b, c) {
			continue
		}
		pr, err := Predict(p, b, c)
		if err != nil {
			return nil, err
		}
		out[c.ID] = pr
	}
	return out, nil
}

// Areas lists, in catalogue order, the areas of the modelled cases that
// must FAIL, then the control areas.
func Areas(p PKI, f Fault, all []catalog.Case) ([]string, error) {
	var areas []string
	for _, c := range all {
		if !Modelled(f.Does, c) {
			continue
		}
		pr, err := Predict(p, f.Does, c)
		if err != nil {
			return nil, err
		}
		if pr.Fails() && !slices.Contains(areas, c.Area) {
			areas = append(areas, c.Area)
		}
	}
	for _, a := range f.Control {
		if !slices.Contains(areas, a) {
			areas = append(areas, a)
		}
	}
	return areas, nil
}
