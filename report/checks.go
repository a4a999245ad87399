package report

import (
	"strconv"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// CheckLine renders a check on one line: "FAIL sni: ClientHello carried no SNI".
func CheckLine(c verdict.Check) string {
	return string(c.Verdict) + " " + c.Name + ": " + c.Message
}

// decisionOf returns the decision check. A result without one (a skipped
// case, or one read from an older results.json) gets one made from its
// verdict and reason, so every report can still colour it.
func decisionOf(r *verdict.Result) verdict.Check {
	if d, ok := r.Decision(); ok {
		return d
	}
	return verdict.Check{Name: verdict.CheckDecision, Verdict: r.Verdict, Basis: r.Case.Basis, Source: r.Case.Source, Message: r.Reason}
}

// wireChecks returns the checks other than the decision with verdict v.
func wireChecks(r *verdict.Result, v verdict.Verdict) []verdict.Check {
	var out []verdict.Check
	for _, c := range r.Checks {
		if c.Name != verdict.CheckDecision && c.Verdict == v {
			out = append(out, c)
		}
	}
	return out
}

// wireFailed names the wire checks that failed.
func wireFailed(r *verdict.Result) []string {
	var names []string
	for _, c := range wireChecks(r, verdict.Fail) {
		names = append(names, c.Name)
	}
	return names
}

// wireOnlyFailure: the SUT decided as the case expects (or the basis is
// unspecified), yet a wire check failed the case.
func wireOnlyFailure(r *verdict.Result) bool {
	d := decisionOf(r)
	return r.Verdict == verdict.Fail && d.Verdict != verdict.Fail && d.Verdict != verdict.Skip && len(wireFailed(r)) > 0
}

// unvalidatedAccept: the decision warns that the SUT accepted a server it
// never validated (the usage 2/3 fallback), which must never read as a pass.
func unvalidatedAccept(r *verdict.Result) bool {
	return decisionOf(r).Verdict == verdict.Warn
}

// attentionLines say why a FAIL or WARN case is one: its checks of that
// verdict, after the case reason when no check carries it (a stale or
// changed baseline entry explains itself only in the reason).
func attentionLines(r *verdict.Result) []string {
	var lines []string
	covered := r.Reason == ""
	for _, c := range r.Checks {
		if c.Verdict != r.Verdict {
			continue
		}
		lines = append(lines, cleanText(CheckLine(c)))
		if r.Reason == c.Message || r.Reason == c.Name+": "+c.Message {
			covered = true
		}
	}
	if !covered {
		lines = append([]string{cleanText(r.Reason)}, lines...)
	}
	return lines
}

// decidedText says which event decided the outcome and when, from the
// start of the case: "decided by exit at +412.0 ms".
func decidedText(o verdict.Observation) string {
	if o.DecidedBy == "" {
		return ""
	}
	return "decided by " + cleanText(o.DecidedBy) + " at +" + formatDuration(o.DecidedAt)
}

// checkView is one row of a case page's checks table.
type checkView struct {
	Name, Verdict, Class, Basis, Source, Message string
}

func checkViews(r *verdict.Result) []checkView {
	var out []checkView
	for _, c := range r.Checks {
		out = append(out, checkView{
			Name: c.Name, Verdict: string(c.Verdict), Class: verdictClass(c.Verdict),
			Basis: string(c.Basis), Source: cleanText(c.Source), Message: cleanText(c.Message),
		})
	}
	return out
}

// plural is "1 case", "2 cases".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// checkCounts are the run totals that verdict counts alone hide.
type checkCounts struct {
	Unvalidated   int // decision WARN: accepted a server without validating it
	WireOnly      int // decision passed, a wire check failed
	WireOnlyKnown int // of those, known deviations (baseline)
}

func countChecks(rs []verdict.Result) checkCounts {
	var n checkCounts
	for i := range rs {
		r := &rs[i]
		if unvalidatedAccept(r) {
			n.Unvalidated++
		}
		if wireOnlyFailure(r) {
			n.WireOnly++
			if r.Baseline != "" {
				n.WireOnlyKnown++
			}
		}
	}
	return n
}

// unvalidatedLine is the sentence every report uses for the usage 2/3
// fallback, so it reads the same in summary.md and on the index.
func unvalidatedLine(n int) string {
	return plural(n, "case") + " accepted a server WITHOUT validating it (usage 2/3 fallback: no Server Public Key, no trust store)"
}

// wireOnlyLine counts the cases a wire check alone failed.
func wireOnlyLine(n checkCounts) string {
	s := "decision PASS, wire check FAIL: " + strconv.Itoa(n.WireOnly)
	if n.WireOnlyKnown > 0 {
		s += " (" + plural(n.WireOnlyKnown, "known deviation") + ")"
	}
	return s
}
