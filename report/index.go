package report

import (
	"html/template"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// verdictCount is one badge of a totals line.
type verdictCount struct {
	Verdict string
	Class   string
	Count   int
}

func verdictCounts(t verdictTotals) []verdictCount {
	var out []verdictCount
	for _, v := range t.verdictsIn() {
		out = append(out, verdictCount{Verdict: string(v), Class: verdictClass(v), Count: t[v]})
	}
	return out
}

// caseRow is one result in a table.
type caseRow struct {
	ID, Href, Area                string
	Expected, Observed, Alert     string
	Verdict, Class, Basis, Source string
	Duration, Reason, Baseline    string
	Lines                         []string // why a FAIL or WARN case is one, a check a line
	Exit, Decided                 string
}

func newCaseRow(res *verdict.Result, href string) caseRow {
	var lines []string
	if res.Verdict == verdict.Fail || res.Verdict == verdict.Warn {
		lines = attentionLines(res)
	}
	return caseRow{
		ID:       res.Case.ID,
		Href:     href,
		Area:     areaName(*res),
		Expected: string(res.Case.Expect),
		Observed: observedText(res.Observation),
		Alert:    res.Observation.Alert,
		Verdict:  string(res.Verdict),
		Class:    verdictClass(res.Verdict),
		Basis:    string(res.Case.Basis),
		Source:   res.Case.Source,
		Duration: formatDuration(res.Duration),
		Reason:   cleanText(res.Reason),
		Baseline: cleanText(res.Baseline),
		Lines:    lines,
		Exit:     cleanText(res.Observation.Exit),
		Decided:  decidedText(res.Observation),
	}
}

// areaSection is one area of the index: the matrix for certusage, a table
// for the others.
type areaSection struct {
	Area   string
	Anchor string
	Count  int
	Totals []verdictCount
	Grid   *certGrid
	Rows   []caseRow // the table; for certusage, the cases outside the grid
}

type runHeader struct {
	SUT, Started, Wall string
	Labels             string
	Notes              []string
	Total              int
	Totals             []verdictCount
	Failed             bool
	Interrupted        string     // what an interrupted run covered; "" when it completed
	Facts              []keyValue // shard, merge, profile and catalogue identity
}

type indexPage struct {
	CSS       template.CSS
	Header    runHeader
	Attention []caseRow // FAIL and WARN, in run order
	Baselined int
	// Unvalidated is the usage 2/3 fallback banner, "" when no case fell back.
	Unvalidated string
	WireOnly    string
	// CertRules is the certificate-profile section: the rules the SUT's
	// own certificate broke; CertChecked counts the cases that linted one.
	CertRules   []certRule
	CertChecked int
	Matrix      *areaSection  // certusage, shown first: the at-a-glance view
	Areas       []areaSection // the other areas, in run order
	Nav         []areaSection // every area, for the navigation line
}

func buildHeader(r Run) runHeader {
	t := countVerdicts(r.Results)
	h := runHeader{
		SUT:    cleanText(r.SUT),
		Wall:   formatDuration(r.Wall),
		Labels: strings.Join(r.Labels, ", "),
		Total:  len(r.Results),
		Totals: verdictCounts(t),
		Failed: unexpectedFailures(r.Results) > 0,

		Interrupted: InterruptedLine(r),
		Facts:       provenanceFacts(r),
	}
	if !r.Started.IsZero() {
		h.Started = r.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	for _, n := range r.Notes {
		h.Notes = append(h.Notes, cleanText(n))
	}
	return h
}

func buildIndex(r Run, href func(*verdict.Result) string) indexPage {
	p := indexPage{CSS: stylesheet, Header: buildHeader(r)}
	n := countChecks(r.Results)
	if n.Unvalidated > 0 {
		p.Unvalidated = unvalidatedLine(n.Unvalidated)
	}
	p.WireOnly = wireOnlyLine(n)
	p.CertRules, p.CertChecked = certProfileRules(r.Results, href)
	for i := range r.Results {
		res := &r.Results[i]
		if res.Verdict == verdict.Fail || res.Verdict == verdict.Warn {
			p.Attention = append(p.Attention, newCaseRow(res, href(res)))
		}
		if res.Baseline != "" {
			p.Baselined++
		}
	}
	// Sections hold pointers into r.Results so links match pageOf.
	order := []string{}
	byArea := map[string][]*verdict.Result{}
	for i := range r.Results {
		a := areaName(r.Results[i])
		if _, ok := byArea[a]; !ok {
			order = append(order, a)
		}
		byArea[a] = append(byArea[a], &r.Results[i])
	}
	for _, a := range order {
		rs := byArea[a]
		s := areaSection{Area: a, Anchor: "area-" + slug(a), Count: len(rs)}
		vals := make([]verdict.Result, len(rs))
		for i, res := range rs {
			vals[i] = *res
		}
		s.Totals = verdictCounts(countVerdicts(vals))
		table := rs
		if a == certUsageArea {
			s.Grid = buildCertGrid(rs, href)
			table = s.Grid.Outside
		}
		for _, res := range table {
			s.Rows = append(s.Rows, newCaseRow(res, href(res)))
		}
		p.Nav = append(p.Nav, s)
		if s.Grid != nil {
			p.Matrix = &s
			continue
		}
		p.Areas = append(p.Areas, s)
	}
	return p
}
