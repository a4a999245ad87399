package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// maxListed bounds the failing and warning lists of the summary: a CI log
// stays readable when a whole matrix fails, and the HTML report has the rest.
const maxListed = 100

// WriteSummary writes a Markdown summary for CI logs: run facts, totals per
// verdict, a per-area table, then the failing and warning cases with the
// checks that made them so.
func WriteSummary(w io.Writer, r Run) error {
	bw := bufio.NewWriter(w)
	totals := countVerdicts(r.Results)
	verdicts := totals.verdictsIn()

	title, stopped := mdInline(r.SUT), InterruptedLine(r)
	if stopped != "" {
		title += " — INTERRUPTED"
	}
	fmt.Fprintf(bw, "# lwm2m-conform: %s\n\n", title)
	if stopped != "" {
		fmt.Fprintf(bw, "- **⚠ %s**\n", stopped)
	}
	fmt.Fprintf(bw, "- **Result:** %s\n", outcomeLine(r.Results))
	checks := countChecks(r.Results)
	if checks.Unvalidated > 0 {
		fmt.Fprintf(bw, "- **⚠ WARNING:** %s\n", unvalidatedLine(checks.Unvalidated))
	}
	if rules, checked := certProfileRules(r.Results, func(*verdict.Result) string { return "" }); checked > 0 {
		fmt.Fprintf(bw, "- **Certificate profile:** %d cases linted the SUT's certificate", checked)
		for _, cr := range rules {
			fmt.Fprintf(bw, "; %s %s in %d", cr.Severity, mdInline(cr.Rule), cr.Cases)
		}
		fmt.Fprintln(bw)
	}
	if !r.Started.IsZero() {
		fmt.Fprintf(bw, "- **Started:** %s\n", r.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	fmt.Fprintf(bw, "- **Wall time:** %s\n", formatDuration(r.Wall))
	if len(r.Labels) > 0 {
		fmt.Fprintf(bw, "- **Labels:** %s\n", mdInline(strings.Join(r.Labels, ", ")))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "- **Note:** %s\n", mdInline(n))
	}
	for _, kv := range provenanceFacts(r) {
		fmt.Fprintf(bw, "- **%s:** %s\n", strings.ToUpper(kv.Key[:1])+kv.Key[1:], mdInline(kv.Value))
	}

	bw.WriteString("\n## Totals\n\n| verdict | cases |\n|---|---:|\n")
	for _, v := range verdicts {
		fmt.Fprintf(bw, "| %s | %d |\n", mdCell(string(v)), totals[v])
	}
	fmt.Fprintf(bw, "| **total** | **%d** |\n", len(r.Results))
	fmt.Fprintf(bw, "\n%s (counted in FAIL: the SUT decided as expected, a wire check failed)\n", wireOnlyLine(checks))

	bw.WriteString("\n## Per area\n\n| area | cases |")
	for _, v := range verdicts {
		fmt.Fprintf(bw, " %s |", mdCell(string(v)))
	}
	bw.WriteString(" case time |\n|---|---:|")
	for range verdicts {
		bw.WriteString("---:|")
	}
	bw.WriteString("---:|\n")
	for _, g := range groupByArea(r.Results) {
		t := countVerdicts(g.Results)
		fmt.Fprintf(bw, "| %s | %d |", mdCell(g.Area), len(g.Results))
		for _, v := range verdicts {
			fmt.Fprintf(bw, " %d |", t[v])
		}
		fmt.Fprintf(bw, " %s |\n", formatDuration(sumDurations(g.Results)))
	}

	writeCaseList(bw, "Failures", verdict.Fail, r.Results)
	writeCaseList(bw, "Warnings", verdict.Warn, r.Results)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}

// outcomeLine is the one-line answer to "did it pass?" — the same answer
// as the run's exit status: known deviations from the profile's baseline
// do not fail it.
func outcomeLine(rs []verdict.Result) string {
	total, fails, known := len(rs)-notRun(rs), unexpectedFailures(rs), 0
	for _, r := range rs {
		if r.Verdict == verdict.Fail && r.Baseline != "" {
			known++
		}
	}
	switch {
	case total == 0:
		return "no cases ran"
	case fails > 0:
		return fmt.Sprintf("FAILED (%d of %d cases failed)", fails, total)
	case known > 0:
		return fmt.Sprintf("passed against the baseline (%d cases, %d known deviations)", total, known)
	}
	return fmt.Sprintf("passed (%d cases, no failures)", total)
}

// unexpectedFailures counts FAILs not covered by the profile's baseline.
func unexpectedFailures(rs []verdict.Result) int {
	n := 0
	for _, r := range rs {
		if r.Verdict == verdict.Fail && r.Baseline == "" {
			n++
		}
	}
	return n
}

func writeCaseList(bw *bufio.Writer, title string, v verdict.Verdict, rs []verdict.Result) {
	var hits []verdict.Result
	for _, r := range rs {
		if r.Verdict == v {
			hits = append(hits, r)
		}
	}
	if len(hits) == 0 {
		return
	}
	fmt.Fprintf(bw, "\n## %s (%d)\n\n| case | expected | observed | checks |\n|---|---|---|---|\n", title, len(hits))
	for i, r := range hits {
		if i == maxListed {
			fmt.Fprintf(bw, "\n… and %d more, see index.html or junit.xml.\n", len(hits)-maxListed)
			break
		}
		reason := strings.Join(attentionLines(&r), "; ")
		if r.Baseline != "" {
			reason += " — known deviation (baseline): " + r.Baseline
		}
		fmt.Fprintf(bw, "| `%s` | %s | %s | %s |\n",
			mdCode(r.Case.ID), mdCell(string(r.Case.Expect)), mdCell(observedText(r.Observation)), mdCell(reason))
	}
}

func sumDurations(rs []verdict.Result) (d time.Duration) {
	for _, r := range rs {
		d += r.Duration
	}
	return d
}

// mdInline makes text safe for one Markdown line.
func mdInline(s string) string {
	s = strings.ReplaceAll(cleanText(s), "\n", " ")
	return strings.ReplaceAll(s, "\t", " ")
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdInline(s), "|", `\|`)
}

// mdCode makes text safe inside an inline code span within a table cell.
func mdCode(s string) string {
	s = strings.ReplaceAll(cleanText(s), "\n", " ")
	return strings.NewReplacer("`", "'", "|", `\|`).Replace(s)
}
