package report

import (
	"slices"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// A case is a timing outlier when it took more than slowerFactor times as
// long as before and at least slowerBy more: both, so that neither a 5 ms
// case turning 20 ms nor a 60 s case turning 61 s is news.
const (
	slowerFactor = 3
	slowerBy     = time.Second
)

// Change is one case as two runs saw it.
type Change struct {
	ID       string
	Old, New verdict.Result
}

// Diff is what changed from one run to the next, case by case.
type Diff struct {
	OldName, NewName string // where the runs were read from, for the heading
	Old, New         Run
	NewFails         []Change // FAIL in NEW (not a known deviation), not in OLD
	Fixed            []Change // FAIL in OLD, PASS, WARN or INFO in NEW
	Changed          []Change // outcome, alert or failed checks differ, both ran
	Slower           []Change // timing outliers
	Added            []string // case ids only in NEW
	Removed          []string // case ids only in OLD
	NotRun           []string // ran in OLD, NOT RUN in NEW (an interrupted run)
}

// Compare lines the runs up by case id, in NEW's order.
func Compare(before, after Run) Diff {
	d := Diff{Old: before, New: after}
	byID := map[string]verdict.Result{}
	for _, r := range before.Results {
		byID[r.Case.ID] = r
	}
	seen := map[string]bool{}
	for _, n := range after.Results {
		id := n.Case.ID
		seen[id] = true
		o, ok := byID[id]
		if !ok {
			d.Added = append(d.Added, id)
			if failing(n) {
				d.NewFails = append(d.NewFails, Change{id, verdict.Result{}, n})
			}
			continue
		}
		c := Change{id, o, n}
		switch {
		case n.Verdict == verdict.NotRun:
			if o.Verdict != verdict.NotRun {
				d.NotRun = append(d.NotRun, id)
			}
			continue
		case o.Verdict == verdict.NotRun:
			if failing(n) {
				d.NewFails = append(d.NewFails, c)
			}
			continue
		case failing(n) && !failing(o):
			d.NewFails = append(d.NewFails, c)
		case failing(o) && passing(n):
			d.Fixed = append(d.Fixed, c)
		}
		if observed(o) != observed(n) {
			d.Changed = append(d.Changed, c)
		}
		if ran(o) && ran(n) && n.Duration > slowerFactor*o.Duration && n.Duration-o.Duration >= slowerBy {
			d.Slower = append(d.Slower, c)
		}
	}
	for _, o := range before.Results {
		if !seen[o.Case.ID] {
			d.Removed = append(d.Removed, o.Case.ID)
		}
	}
	return d
}

// failing is a FAIL the run's exit status counts: not a known deviation.
func failing(r verdict.Result) bool { return r.Verdict == verdict.Fail && r.Baseline == "" }

func passing(r verdict.Result) bool {
	return slices.Contains([]verdict.Verdict{verdict.Pass, verdict.Warn, verdict.Info}, r.Verdict)
}

// ran is a case that was executed and judged (not skipped, not cut short).
func ran(r verdict.Result) bool { return r.Verdict != verdict.Skip && r.Verdict != verdict.NotRun }

// observed is what a diff compares: the outcome, the alert and the failed
// checks, as one line.
func observed(r verdict.Result) string {
	if r.Verdict == verdict.Skip || r.Verdict == verdict.NotRun {
		return string(r.Verdict)
	}
	s := observedText(r.Observation)
	if r.Observation.Alert != "" && r.Observation.Outcome != verdict.Rejected {
		s += " (alert " + r.Observation.Alert + ")"
	}
	if failed := r.FailedChecks(); len(failed) > 0 {
		s += "; failed checks: " + strings.Join(failed, ", ")
	}
	return s
}
