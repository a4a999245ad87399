package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// certUsageArea is the area whose cases form the certificate-usage matrix.
const certUsageArea = "certusage"

// The matrix axes in display order. Values met in results but missing here
// are appended, so a new catalogue value still shows up.
var (
	usageAxis = []string{"u0", "u1", "u2", "u3", "unset"}
	spkAxis   = []string{"empty", "root", "int", "leaf", "other-leaf", "other-ca"}
	tsAxis    = []string{"absent", "root", "other-root", "leaf"}
	chainAxis = []string{"leaf-int", "leaf", "full", "self-signed"}
)

// usageLabels name the Certificate Usage values (/0/x/15) for row headers.
var usageLabels = map[string]string{
	"u0": "0 · PKIX-TA", "u1": "1 · PKIX-EE", "u2": "2 · DANE-TA", "u3": "3 · DANE-EE", "unset": "unset",
}

// gridCell is one case of the matrix, or a hole where no result exists.
type gridCell struct {
	Present  bool
	Class    string // verdict class, e.g. v-fail
	Exp, Obs string // one-letter expectation and observation
	Href     string
	Title    string
	Baseline bool
	Marker   bool // a wire check failed
	TSStart  bool // first column of a trust-store group (draws the group rule)
}

type gridRow struct {
	UsageLabel string
	UsageSpan  int // rowspan of the usage header; 0 on the group's other rows
	SPK        string
	GroupStart bool
	Cells      []gridCell
}

type gridGroup struct {
	TS   string
	Span int
}

type gridColumn struct {
	Chain   string
	TSStart bool
}

// certGrid is the certificate-usage matrix: rows usage × spk, columns
// ts × chain, grouped by trust store.
type certGrid struct {
	Groups  []gridGroup
	Columns []gridColumn
	Rows    []gridRow
	Filled  int // cells with a result
	Cells   int // all cells
	Outside []*verdict.Result
}

// gridCoords are the dimensions that place a case in the matrix.
var gridCoords = []string{"usage", "spk", "ts", "chain"}

// buildCertGrid lays out the certusage results. href gives the detail page
// link of a result. Results missing a coordinate, or landing on a cell
// already taken, are returned in Outside so they are still listed.
func buildCertGrid(rs []*verdict.Result, href func(*verdict.Result) string) *certGrid {
	g := &certGrid{}
	type key [4]string
	byCell := map[key]*verdict.Result{}
	axes := [4][]string{slices.Clone(usageAxis), slices.Clone(spkAxis), slices.Clone(tsAxis), slices.Clone(chainAxis)}
	for _, r := range rs {
		var k key
		complete := true
		for i, d := range gridCoords {
			k[i] = r.Case.Dimensions[d]
			if k[i] == "" {
				complete = false
			}
		}
		if _, taken := byCell[k]; !complete || taken {
			g.Outside = append(g.Outside, r)
			continue
		}
		byCell[k] = r
		for i := range axes {
			if !slices.Contains(axes[i], k[i]) {
				axes[i] = append(axes[i], k[i])
			}
		}
	}
	usages, spks, tss, chains := axes[0], axes[1], axes[2], axes[3]
	for _, ts := range tss {
		g.Groups = append(g.Groups, gridGroup{TS: ts, Span: len(chains)})
		for j, ch := range chains {
			g.Columns = append(g.Columns, gridColumn{Chain: ch, TSStart: j == 0})
		}
	}
	for _, u := range usages {
		for si, spk := range spks {
			row := gridRow{SPK: spk, GroupStart: si == 0}
			if si == 0 {
				row.UsageLabel = usageLabel(u)
				row.UsageSpan = len(spks)
			}
			for _, ts := range tss {
				for j, ch := range chains {
					k := key{u, spk, ts, ch}
					cell := gridCell{TSStart: j == 0}
					if r, ok := byCell[k]; ok {
						cell = resultCell(r, href(r))
						cell.TSStart = j == 0
						g.Filled++
					} else {
						cell.Title = fmt.Sprintf("usage=%s spk=%s ts=%s chain=%s: no result in this run (filtered out or dropped)", u, spk, ts, ch)
					}
					g.Cells++
					row.Cells = append(row.Cells, cell)
				}
			}
			g.Rows = append(g.Rows, row)
		}
	}
	return g
}

// resultCell shows the decision: its colour from the decision check, its
// letters from the expectation and the outcome. A failed wire check does
// not recolour the cell; it raises the marker and is named in the title.
func resultCell(r *verdict.Result, href string) gridCell {
	d := decisionOf(r)
	title := r.Case.ID + "\n" + string(r.Verdict) + ": " + r.Reason +
		"\nobserved " + observedText(r.Observation)
	if dec := decidedText(r.Observation); dec != "" {
		title += ", " + dec
	}
	title += "\n" + CheckLine(d)
	failed := wireFailed(r)
	if len(failed) > 0 {
		title += "\nwire checks failed: " + strings.Join(failed, ", ")
	}
	for _, v := range []verdict.Verdict{verdict.Fail, verdict.Warn} {
		for _, c := range wireChecks(r, v) {
			title += "\n" + CheckLine(c)
		}
	}
	if r.Baseline != "" {
		title += "\nknown deviation (baseline): " + r.Baseline
	}
	return gridCell{
		Present:  true,
		Class:    verdictClass(d.Verdict),
		Exp:      expectLetter(string(r.Case.Expect)),
		Obs:      observedLetter(r.Observation.Outcome),
		Href:     href,
		Title:    cleanText(title),
		Baseline: r.Baseline != "",
		Marker:   len(failed) > 0,
	}
}

func usageLabel(u string) string {
	if l, ok := usageLabels[u]; ok {
		return l
	}
	return u
}

// verdictClass is the CSS class that colours a verdict.
func verdictClass(v verdict.Verdict) string {
	switch v {
	case verdict.Pass, verdict.Fail, verdict.Warn, verdict.Info, verdict.Skip:
		return "v-" + strings.ToLower(string(v))
	}
	return "v-other"
}
