// Package verdict turns what a harness peer observed into a case verdict,
// following the rules of DESIGN.md: accepted / rejected / error / hang,
// compared with the case's expectation and basis.
package verdict

import (
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// Outcome is what the SUT did.
type Outcome string

const (
	Accepted Outcome = "accepted" // handshake completed and a Register arrived on it
	Rejected Outcome = "rejected" // the SUT aborted the handshake (alert, or silence after the server flight)
	Error    Outcome = "error"    // the SUT never started a handshake
	Hang     Outcome = "hang"     // started, but neither finished nor aborted in time
)

// Verdict is the judgement reported for a case.
type Verdict string

const (
	Pass Verdict = "PASS"
	Fail Verdict = "FAIL"
	Info Verdict = "INFO" // basis unspecified: recorded, never fails
	Warn Verdict = "WARN" // passed, but the SUT accepted a server without validating it
	Skip Verdict = "SKIP"
)

// Observation is what the harness saw for one case.
type Observation struct {
	Outcome Outcome `json:"outcome"`
	Alert   string  `json:"alert,omitempty"`  // name of the alert the SUT sent, "" if none
	Silent  bool    `json:"silent,omitempty"` // rejected without an alert
	Detail  string  `json:"detail,omitempty"` // one line for a person
}

// String renders the observation as the report shows it.
func (o Observation) String() string {
	switch {
	case o.Outcome == Rejected && o.Alert != "":
		return fmt.Sprintf("rejected (alert %s)", o.Alert)
	case o.Outcome == Rejected && o.Silent:
		return "rejected (silent)"
	}
	return string(o.Outcome)
}

// Result is one judged case with its evidence.
type Result struct {
	Case        catalog.Case   `json:"case"`
	Observation Observation    `json:"observation"`
	Verdict     Verdict        `json:"verdict"`
	Reason      string         `json:"reason"`
	Duration    time.Duration  `json:"duration"`
	Events      []events.Event `json:"events,omitempty"`
	SUTCommand  string         `json:"sut_command,omitempty"`
	SUTOutput   string         `json:"sut_output,omitempty"`
	EvidenceDir string         `json:"evidence_dir,omitempty"`
	Baseline    string         `json:"baseline,omitempty"` // reason from the profile's known-deviation baseline
}

// Judge compares an observation with the case's expectation.
func Judge(c catalog.Case, o Observation) (Verdict, string) {
	var observed catalog.Expect
	switch o.Outcome {
	case Accepted:
		observed = catalog.Accept
	case Rejected:
		observed = catalog.Reject
	default:
		// A SUT that never started or hung cannot be said to follow the rule.
		if c.Basis == catalog.BasisUnspecified {
			return Info, fmt.Sprintf("%s (basis unspecified, expected %s)", o, c.Expect)
		}
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
