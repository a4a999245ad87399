package certlint

import "time"

// Severities of findings, mildest first. A profile gives every rule one;
// a rule that could not decide (a run gave no endpoint name, say) reports
// a notice whatever its severity.
const (
	Notice = "notice"
	Warn   = "warn"
	Error  = "error"
)

var severities = []string{Notice, Warn, Error}

// Rank orders severities: 0 none or unknown, then notice, warn, error.
func Rank(severity string) int {
	for i, s := range severities {
		if s == severity {
			return i + 1
		}
	}
	return 0
}

// Params are the values of one run that rules compare against.
type Params struct {
	Endpoint string // the device's endpoint name (subject CN)
	Account  string // the account id (subject OU)
	MaxDepth int    // most certificates a chain may hold; 0 = not checked
	// Encoding is how the chain was stored ("pem" or "der"); leave it
	// empty for a chain seen in a handshake, which has no encoding.
	Encoding string
	Now      time.Time // the time of the check; zero = time.Now()
}

// Finding is one rule a certificate or chain broke, or could not be
// judged against.
type Finding struct {
	Rule     string `json:"rule"`     // the profile's rule id
	Check    string `json:"check"`    // the zlint lint or chain check behind it
	Severity string `json:"severity"` // error, warn or notice
	Basis    string `json:"basis"`    // seed, rfc or implementation
	Source   string `json:"source"`   // document and section
	Says     string `json:"says"`     // the sentence the rule comes from
	Message  string `json:"message"`  // what was found
	Cert     int    `json:"cert"`     // index in the chain, 0 = leaf
}

// Worst is the highest severity among findings, "" for none.
func Worst(fs []Finding) string {
	worst := ""
	for _, f := range fs {
		if Rank(f.Severity) > Rank(worst) {
			worst = f.Severity
		}
	}
	return worst
}
