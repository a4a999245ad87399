// Package verdict turns what a harness peer observed into a case verdict,
// following the rules of DESIGN.md and DESIGN-NOTES.md: an outcome (what
// the SUT did), then checks (the decision against the expectation, and one
// check per wire expectation), then the case verdict, the worst of them.
package verdict

import (
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// Outcome is what the SUT did, decided from the wire and from how its
// process ended, never from the harness's own timers.
type Outcome string

const (
	// Accepted: handshake completed and a Register arrived on it (for a
	// handshake-only SUT: application data).
	Accepted Outcome = "accepted"
	// Rejected: the SUT aborted the handshake with an alert, gave up in
	// silence judged against its declared retransmission schedule, exited
	// with a status mid-handshake, or the server could not complete the
	// handshake with it (wrong key, unknown identity).
	Rejected Outcome = "rejected"
	// Refused: a clean refusal of the provisioning before any handshake
	// (an error exit, or no handshake attempt with an over-long key while
	// running), counted only when the same SUT was shown working.
	Refused Outcome = "refused"
	// Crashed: killed by a signal at any point, or any exit after the
	// handshake completed. Never a rejection.
	Crashed Outcome = "crashed"
	// Timeout: a bound the profile declares (start, handshake, case) ran
	// out while the SUT was still running. Never a rejection.
	Timeout Outcome = "timeout"
	// Error: the SUT never started a handshake (exited cleanly without
	// one), or the harness could not set the case up.
	Error Outcome = "error"
	// Inconclusive: a clean failure the run could not attribute, because
	// the same SUT was not shown working (its control case failed).
	Inconclusive Outcome = "inconclusive"
)

// Outcomes lists every outcome, for validating pinned baselines.
var Outcomes = []Outcome{Accepted, Rejected, Refused, Crashed, Timeout, Error, Inconclusive}

// Verdict is the judgement reported for a check and for a case.
type Verdict string

const (
	Pass Verdict = "PASS"
	Fail Verdict = "FAIL"
	Info Verdict = "INFO" // basis unspecified: recorded, never fails
	Warn Verdict = "WARN" // passed, with something a person must see
	Skip Verdict = "SKIP"
)

// rank orders verdicts so a case takes the worst of its checks.
var rank = map[Verdict]int{Skip: 0, Pass: 1, Info: 2, Warn: 3, Fail: 4}

// Worse reports whether a is worse than b.
func Worse(a, b Verdict) bool { return rank[a] > rank[b] }

// Observation is what the harness saw for one case.
type Observation struct {
	Outcome Outcome `json:"outcome"`
	Alert   string  `json:"alert,omitempty"`  // name of the alert the SUT sent, "" if none
	Silent  bool    `json:"silent,omitempty"` // rejected without an alert
	Detail  string  `json:"detail,omitempty"` // one line for a person
	// Exit is how the SUT's process ended, if it did: "exit status 1",
	// "signal: killed", "exit status 0".
	Exit string `json:"exit,omitempty"`
	// DecidedBy names what decided the outcome: an event kind, "exit",
	// "silence", or the bound that ran out; DecidedAt is when, from the
	// start of the case.
	DecidedBy string        `json:"decided_by,omitempty"`
	DecidedAt time.Duration `json:"decided_at,omitempty"`
}

// String renders the observation as the report shows it.
func (o Observation) String() string {
	switch {
	case o.Outcome == Rejected && o.Alert != "":
		return fmt.Sprintf("rejected (alert %s)", o.Alert)
	case o.Outcome == Rejected && o.Silent:
		return "rejected (silent)"
	case o.Outcome == Refused && o.Exit != "":
		return "refused (" + o.Exit + ")"
	case o.Outcome == Crashed && o.Exit != "":
		return "crashed (" + o.Exit + ")"
	}
	return string(o.Outcome)
}

// Result is one judged case with its evidence.
type Result struct {
	Case        catalog.Case   `json:"case"`
	Observation Observation    `json:"observation"`
	Checks      []Check        `json:"checks,omitempty"`
	Verdict     Verdict        `json:"verdict"`
	Reason      string         `json:"reason"`
	Duration    time.Duration  `json:"duration"`
	Events      []events.Event `json:"events,omitempty"`
	SUTCommand  string         `json:"sut_command,omitempty"`
	SUTOutput   string         `json:"sut_output,omitempty"`
	EvidenceDir string         `json:"evidence_dir,omitempty"`
	Baseline    string         `json:"baseline,omitempty"` // reason from the profile's known-deviation baseline
}

// Decision returns the decision check, if the case was judged.
func (r Result) Decision() (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == CheckDecision {
			return c, true
		}
	}
	return Check{}, false
}

// FailedChecks names the checks that failed, the decision first.
func (r Result) FailedChecks() []string {
	var out []string
	for _, c := range r.Checks {
		if c.Verdict == Fail {
			out = append(out, c.Name)
		}
	}
	return out
}

// Judge compares an observation with the case's expectation: the decision
// check. Only accept and reject are decisions; every other outcome says
// the SUT did not decide, which is never INFO, even where the basis is
// unspecified.
func Judge(c catalog.Case, o Observation) (Verdict, string) {
	var observed catalog.Expect
	switch o.Outcome {
	case Accepted:
		observed = catalog.Accept
	case Rejected, Refused:
		observed = catalog.Reject
	case Inconclusive:
		return Fail, fmt.Sprintf("inconclusive, expected %s: %s", c.Expect, o.Detail)
	default:
		return Fail, fmt.Sprintf("expected %s, SUT %s: %s", c.Expect, o, o.Detail)
	}
	if c.Basis == catalog.BasisUnspecified {
		return Info, fmt.Sprintf("observed %s; basis unspecified (table says %s)", o, c.Expect)
	}
	if observed != c.Expect {
		return Fail, fmt.Sprintf("expected %s, observed %s", c.Expect, o)
	}
	if observed == catalog.Accept && c.Unvalidated {
		return Warn, "accepted WITHOUT server validation (usage 2/3 fallback: no Server Public Key, no trust store)"
	}
	return Pass, fmt.Sprintf("expected %s, observed %s", c.Expect, o)
}
