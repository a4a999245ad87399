package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Headline counts what a reviewer looks at first.
func (d Diff) Headline() string {
	parts := []string{plural(len(d.NewFails), "new FAIL")}
	if n := len(d.Fixed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d fixed", n))
	}
	if n := len(d.Changed); n > 0 {
		parts = append(parts, plural(n, "changed observation"))
	}
	if n := len(d.Slower); n > 0 {
		parts = append(parts, plural(n, "timing outlier"))
	}
	return strings.Join(parts, ", ")
}

// section is one list of a diff, rendered the same way in both formats.
type section struct {
	title string
	rows  [][]string // case, before, now, why
}

func (d Diff) sections() []section {
	row := func(c Change, why string) []string {
		return []string{c.ID, verdictAndObserved(c.Old), verdictAndObserved(c.New), why}
	}
	var s []section
	add := func(title string, cs []Change, why func(Change) string) {
		sec := section{title: fmt.Sprintf("%s (%d)", title, len(cs))}
		for _, c := range cs {
			sec.rows = append(sec.rows, row(c, why(c)))
		}
		if len(cs) > 0 {
			s = append(s, sec)
		}
	}
	add("New FAILs", d.NewFails, func(c Change) string { return cleanText(c.New.Reason) })
	add("Fixed", d.Fixed, func(Change) string { return "" })
	add("Changed observations", d.Changed, func(Change) string { return "" })
	add(fmt.Sprintf("Timing outliers: more than %d× and %s slower", slowerFactor, slowerBy), d.Slower, func(c Change) string {
		return fmt.Sprintf("%s → %s (%.1f×)", formatDuration(c.Old.Duration), formatDuration(c.New.Duration), float64(c.New.Duration)/float64(c.Old.Duration))
	})
	for _, ids := range []struct {
		title string
		ids   []string
	}{{"Only in NEW", d.Added}, {"Only in OLD", d.Removed}, {"Not run in NEW (interrupted)", d.NotRun}} {
		if len(ids.ids) == 0 {
			continue
		}
		sec := section{title: fmt.Sprintf("%s (%d)", ids.title, len(ids.ids))}
		for _, id := range ids.ids {
			sec.rows = append(sec.rows, []string{id})
		}
		s = append(s, sec)
	}
	return s
}

func verdictAndObserved(r verdict.Result) string {
	if r.Case.ID == "" {
		return "—"
	}
	return string(r.Verdict) + ": " + observed(r)
}

// runLine names a run for the heading of a diff.
func runLine(name string, r Run) string {
	s := fmt.Sprintf("%s (%s, %d cases", name, r.SUT, len(r.Results))
	if !r.Started.IsZero() {
		s += ", " + r.Started.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s + ")"
}

// notes warn when the runs are not of the same catalogue or profile.
func (d Diff) notes() []string {
	var n []string
	if d.Old.Catalogue != d.New.Catalogue {
		n = append(n, fmt.Sprintf("the runs used different catalogues (%s, %s)", orNone(d.Old.Catalogue, "unrecorded"), orNone(d.New.Catalogue, "unrecorded")))
	}
	if d.Old.Profile != d.New.Profile {
		n = append(n, fmt.Sprintf("the runs used different SUT profiles (%s, %s)",
			orNone(strings.TrimSpace(d.Old.Profile.Name+" "+d.Old.Profile.Hash), "unrecorded"),
			orNone(strings.TrimSpace(d.New.Profile.Name+" "+d.New.Profile.Hash), "unrecorded")))
	}
	return n
}

// WriteText writes the diff for a terminal.
func (d Diff) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "old: %s\nnew: %s\n", runLine(d.OldName, d.Old), runLine(d.NewName, d.New))
	for _, n := range d.notes() {
		fmt.Fprintf(bw, "note: %s\n", n)
	}
	for _, s := range d.sections() {
		fmt.Fprintf(bw, "\n%s\n", s.title)
		for _, r := range s.rows {
			if len(r) == 1 {
				fmt.Fprintf(bw, "  %s\n", r[0])
				continue
			}
			fmt.Fprintf(bw, "  %s\n      was %s\n      now %s\n", r[0], r[1], r[2])
			if r[3] != "" {
				fmt.Fprintf(bw, "      %s\n", r[3])
			}
		}
	}
	fmt.Fprintf(bw, "\n%s\n", d.Headline())
	return bw.Flush()
}

// WriteMarkdown writes the diff as a pull-request comment: a headline,
// then one table per list, each bounded like the summary's.
func (d Diff) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### lwm2m-conform: %s\n\n", d.Headline())
	fmt.Fprintf(bw, "- **old:** %s\n- **new:** %s\n", mdInline(runLine(d.OldName, d.Old)), mdInline(runLine(d.NewName, d.New)))
	for _, n := range d.notes() {
		fmt.Fprintf(bw, "- **⚠ note:** %s\n", mdInline(n))
	}
	for _, s := range d.sections() {
		fmt.Fprintf(bw, "\n#### %s\n\n", mdInline(s.title))
		if len(s.rows[0]) == 1 {
			bw.WriteString("| case |\n|---|\n")
		} else {
			bw.WriteString("| case | was | now | |\n|---|---|---|---|\n")
		}
		for i, r := range s.rows {
			if i == maxListed {
				fmt.Fprintf(bw, "\n… and %d more.\n", len(s.rows)-maxListed)
				break
			}
			cells := []string{"`" + mdCode(r[0]) + "`"}
			for _, c := range r[1:] {
				cells = append(cells, mdCell(c))
			}
			fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
		}
	}
	return bw.Flush()
}
