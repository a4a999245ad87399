package report

import (
	"slices"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Run is everything a report shows about one conformance run.
type Run struct {
	SUT     string        // profile name, e.g. "reference" or "fixtures/sut/reference-exec.yaml"
	Started time.Time     // when the run began
	Wall    time.Duration // wall-clock time of the whole run
	Labels  []string      // label filter used, if any (one label-filter expression)
	Results []verdict.Result
	Notes   []string // run-level notes (e.g. "baseline: 3 known deviations")

	Catalogue string  // catalog.Hash of the catalogue the cases came from
	Profile   Profile // the SUT profile's identity
	Shard     *Shard  // the part of the selection this run covered; nil = all of it
	Merged    []Shard // the shard runs a merged report was made from
	// Interrupted names the signal that stopped the run ("SIGINT"); its
	// unfinished cases are verdict.NotRun. "" when the run completed.
	Interrupted string
	// SUTFlag is the --sut value the run was given (a profile file, a
	// shipped profile's name, "reference"), for the reproduce command on
	// case pages; "" means SUT.
	SUTFlag string
}

// verdictOrder is the order verdicts are listed in every report.
var verdictOrder = []verdict.Verdict{verdict.Pass, verdict.Fail, verdict.Warn, verdict.Info, verdict.Skip}

// verdictTotals counts results per verdict; verdicts outside verdictOrder are
// counted under their own name so nothing disappears from a report.
type verdictTotals map[verdict.Verdict]int

func countVerdicts(rs []verdict.Result) verdictTotals {
	t := verdictTotals{}
	for _, r := range rs {
		t[r.Verdict]++
	}
	return t
}

// verdictsIn lists the verdicts present in t: known ones in report order,
// then any unknown ones.
func (t verdictTotals) verdictsIn() []verdict.Verdict {
	var out []verdict.Verdict
	known := map[verdict.Verdict]bool{}
	for _, v := range verdictOrder {
		known[v] = true
		out = append(out, v)
	}
	var extra []verdict.Verdict
	for v := range t {
		if !known[v] {
			extra = append(extra, v)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// areaGroup is the results of one area, in run order.
type areaGroup struct {
	Area    string
	Results []verdict.Result
}

// groupByArea splits results by Case.Area in order of first appearance, which
// is catalogue order when the runner keeps it.
func groupByArea(rs []verdict.Result) []areaGroup {
	var groups []areaGroup
	index := map[string]int{}
	for _, r := range rs {
		a := areaName(r)
		i, ok := index[a]
		if !ok {
			i = len(groups)
			index[a] = i
			groups = append(groups, areaGroup{Area: a})
		}
		groups[i].Results = append(groups[i].Results, r)
	}
	return groups
}

// areaName is the case's area, or "unknown" so an incomplete case still
// lands in a visible group.
func areaName(r verdict.Result) string {
	if r.Case.Area == "" {
		return "unknown"
	}
	return r.Case.Area
}
