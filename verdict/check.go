package verdict

import "github.com/lwm2m-conform/lwm2m-conform/catalog"

// Check names: the decision, and one per wire expectation. Baselines pin
// failed checks by these names.
const (
	CheckDecision    = "decision"     // outcome against the case's expectation
	CheckSNI         = "sni"          // server_name in the ClientHello
	CheckSuites      = "suites"       // offered suites against /0/x/16
	CheckWeakSuites  = "weak-suites"  // broken, legacy or non-forward-secret suites on offer
	CheckCID         = "cid"          // Connection ID negotiated and used
	CheckSameSession = "same-session" // the session survived a NAT rebinding
	CheckResumed     = "resumed"      // an abbreviated handshake after the scenario
	CheckStayAlive   = "stay-alive"   // a clean failure leaves the SUT running
	CheckCertProfile = "cert-profile" // the SUT's own certificate against its profile
)

// ESTCheckNames are the checks of the est cases (runner/est_checks.go),
// in the order the runner judges them.
var ESTCheckNames = []string{"est-order", "est-path", "est-csr", "est-csr-key", "est-csr-cn", "est-fresh-key",
	"est-issued-cert", "est-retry-wait", "est-retry-csr", "est-block2", "est-sren-timing", "est-sren-subject",
	"est-sren-auth", "est-sren-key", "est-no-new-enroll"}

// CheckNames lists every check name.
var CheckNames = append([]string{CheckDecision, CheckSNI, CheckSuites, CheckWeakSuites, CheckCID,
	CheckSameSession, CheckResumed, CheckStayAlive, CheckCertProfile}, ESTCheckNames...)

// Check is one judged expectation of a case, with its own basis and source.
type Check struct {
	Name    string        `json:"name"`
	Verdict Verdict       `json:"verdict"`
	Basis   catalog.Basis `json:"basis,omitempty"`
	Source  string        `json:"source,omitempty"`
	Message string        `json:"message"`
	// Findings are the rule-level findings behind a check that has them
	// (cert-profile): one per broken rule, for the report's summary.
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is one rule a check found broken.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"` // error, warn, notice
	Source   string `json:"source,omitempty"`
	Message  string `json:"message"`
}

// Combine sets the case verdict to the worst of its checks and the reason
// to that check's message (the decision's when it is among the worst).
func (r *Result) Combine() {
	r.Verdict, r.Reason = Skip, ""
	for _, c := range r.Checks {
		if c.Verdict == Skip {
			continue
		}
		if r.Verdict == Skip || Worse(c.Verdict, r.Verdict) {
			r.Verdict, r.Reason = c.Verdict, c.Message
			if c.Name != CheckDecision {
				r.Reason = c.Name + ": " + c.Message
			}
		}
	}
	if r.Verdict == Skip && len(r.Checks) > 0 {
		r.Reason = r.Checks[0].Message
	}
}
