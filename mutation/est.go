package mutation

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// EST check names (runner/est_checks.go), as failed checks are listed.
const (
	checkESTOrder       = "est-order"
	checkESTCSRKey      = "est-csr-key"
	checkESTFreshKey    = "est-fresh-key"
	checkESTSrenTiming  = "est-sren-timing"
	checkESTSrenSubject = "est-sren-subject"
)

// predictEST is Predict for an est case, from its est: key, its
// expectation and the rules of DESIGN-NOTES.md's EST section, for the
// correct client or one with Security Mode 4 defects only. None of those
// defects drops the careful checks of an EST answer, so a faulty first
// answer is refused as the table says (the client asks again); the other
// cases are decided by the LwM2M server's acceptance (mode4Accepts).
func predictEST(p PKI, b Behaviour, c catalog.Case) (Prediction, error) {
	e := c.EST
	out := verdict.Rejected
	if e.Fault == "" || e.Fault == "retry-later" {
		ok, err := mode4Accepts(b, c)
		if err != nil {
			return Prediction{}, err
		}
		if ok {
			out = verdict.Accepted
		}
	}
	bootKey, err := p.get(c.SUT.ClientCert)
	if err != nil {
		return Prediction{}, err
	}
	var failed []string
	fail := func(check string, cond bool) {
		if cond {
			failed = append(failed, check)
		}
	}
	fail(verdict.CheckDecision, decisionFails(c, out))
	// Every case makes EST requests; before bootstrapping is before Finish.
	fail(checkESTOrder, c.HasESTCheck("order") && b.ESTBeforeFinish)
	// The bootstrap key in the CSR: judged as any other CSR key.
	fail(checkESTCSRKey, c.HasESTCheck("csr") && b.ESTReuseKey && !bootKey.p256)
	fail(checkESTFreshKey, c.HasESTCheck("fresh-key") && b.ESTReuseKey)
	// The runner waits for /sren only after an acceptance; a case ended
	// before it is due has none.
	fail(checkESTSrenTiming, c.HasESTCheck("sren-timing") && out != verdict.Accepted)
	fail(checkESTSrenSubject, c.HasESTCheck("sren-subject") && out == verdict.Accepted && b.ESTNewSubject)
	fail(verdict.CheckStayAlive, c.StayAlive && out == verdict.Crashed)
	return Prediction{Outcome: out, Failed: failed}, nil
}

// mode4Accepts is the mode 4 account's decision on the LwM2M server. The
// account has no Server Public Key and leaves the usage unset
// (runner/est_provision.go); the /crts anchors are its trust store, at
// which the server's chain ends unless the case's server is "foreign".
// Without them (est-ignore-crts) and without a trust store of the case,
// seed 000's row applies: usage 2 or 3 (unset reads 3), empty Server
// Public Key, no trust store: accept, unvalidated.
func mode4Accepts(b Behaviour, c catalog.Case) (bool, error) {
	if !b.ESTIgnoreCrts {
		return c.EST.Server != "foreign", nil
	}
	if c.SUT.TrustStore != nil {
		return false, fmt.Errorf("%s: a mode 4 trust store of the case is not modelled", c.ID)
	}
	return true, nil
}
