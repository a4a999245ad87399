package sut

import (
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Outcomes are the words of the observed outcome a baseline entry pins:
// the verdict package's outcomes, named once there.
var Outcomes = func() []string {
	out := make([]string, len(verdict.Outcomes))
	for i, o := range verdict.Outcomes {
		out[i] = string(o)
	}
	return out
}()

// CheckNames are the checks of a case a baseline entry may list as
// failing, in the order reports show them: verdict's list.
var CheckNames = verdict.CheckNames

// CheckDecision is the check of the accept/reject decision, the one an
// entry that lists no checks pins.
const CheckDecision = verdict.CheckDecision

// Deviation is a baseline entry: a known deviation of the SUT, pinned to
// what was observed so that any later change of behaviour shows.
type Deviation struct {
	Case    string
	Reason  string
	Outcome string // one of Outcomes
	Alert   string // the alert the SUT sent, pinned too; "" = not pinned
	// Checks are the checks that fail, in CheckNames order.
	Checks []string
	Line   int // of the entry in the profile file
}

// Matches reports whether an observation is still exactly this deviation:
// the same outcome, the same alert when one is pinned, and the same set
// of failing checks (one more or one fewer is a change).
func (d Deviation) Matches(outcome, alert string, failed []string) bool {
	if outcome != d.Outcome || (d.Alert != "" && alert != d.Alert) {
		return false
	}
	if len(failed) != len(d.Checks) {
		return false
	}
	for _, c := range failed {
		if !slices.Contains(d.Checks, c) {
			return false
		}
	}
	return true
}

// baseline reads the list of {case, outcome, alert, checks, reason}.
func baseline(n yamlpos.Node, into map[string]Deviation) error {
	items, err := n.Items()
	if err != nil {
		return n.Errorf("must be a list of {case, outcome, checks, reason}")
	}
	for _, el := range items {
		d, err := deviation(el)
		if err != nil {
			return err
		}
		if _, twice := into[d.Case]; twice {
			return el.Errorf("case %s is listed twice", d.Case)
		}
		into[d.Case] = d
	}
	return nil
}

func deviation(el yamlpos.Node) (Deviation, error) {
	d := Deviation{Line: el.Line()}
	var outcome, alert yamlpos.Node
	err := el.Walk([]string{"case", "outcome", "alert", "checks", "reason"}, func(key string, v yamlpos.Node) (err error) {
		switch key {
		case "case":
			d.Case, err = v.Str()
		case "outcome":
			outcome = v
			d.Outcome, err = v.Str()
		case "alert":
			alert = v
			d.Alert, err = v.Str()
		case "checks":
			d.Checks, err = wordList(v, CheckNames)
			if err == nil && len(d.Checks) == 0 {
				err = v.Errorf("must name at least one failing check (left out, it is [decision])")
			}
		case "reason":
			d.Reason, err = v.Str()
		}
		return err
	})
	if err != nil {
		return d, err
	}
	switch {
	case d.Case == "":
		return d, el.Errorf("missing case id")
	case outcome.IsZero():
		return d, el.Errorf("case %s: missing outcome, the observed outcome the deviation pins (one of %s)", d.Case, strings.Join(Outcomes, ", "))
	case !slices.Contains(Outcomes, d.Outcome):
		return d, outcome.Errorf("unknown outcome %q (want one of %s)", d.Outcome, strings.Join(Outcomes, ", "))
	case !alert.IsZero() && !knownAlert(d.Alert):
		return d, alert.Errorf("unknown alert %q (want an IANA TLS alert name such as bad_certificate)", d.Alert)
	case !alert.IsZero() && d.Outcome != "rejected":
		return d, alert.Errorf("an alert is only observed with outcome rejected, not %s", d.Outcome)
	case strings.TrimSpace(d.Reason) == "":
		return d, el.Errorf("case %s: missing reason (say why the deviation is accepted)", d.Case)
	}
	if d.Checks == nil {
		d.Checks = []string{CheckDecision}
	}
	slices.SortFunc(d.Checks, func(a, b string) int {
		return slices.Index(CheckNames, a) - slices.Index(CheckNames, b)
	})
	return d, nil
}

// knownAlert reports whether name is in the IANA TLS Alerts registry.
func knownAlert(name string) bool {
	for desc := range 256 {
		if dtlswire.AlertName(uint8(desc)) == name {
			return !strings.HasPrefix(name, "unknown(")
		}
	}
	return false
}
