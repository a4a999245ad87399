package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/runner"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func init() {
	register("run", "run the catalogue against a client under test and write reports", cmdRun)
}

const runAbout = `Runs the selected cases (all without a selection) against the client under
test and writes junit.xml, summary.md, results.json and index.html into --out.

Exit status: 0 no FAIL outside the profile's baseline; 1 at least one; 2 the
run could not be done (usage, selection, fixtures, profile, --out in use);
130 or 143 interrupted by SIGINT or SIGTERM (the reports say INTERRUPTED and
count the unfinished cases as not run; a second signal ends it at once).`

// runFlags are shared by run and reproduce.
type runFlags struct {
	sut, fixtures string
	caseTimeout   time.Duration
	parallel      int
	verbose       bool
}

func (f *runFlags) bind(c *command) {
	c.StringVar(&f.sut, "sut", "reference", `client under test: "reference" (built in) or a SUT profile YAML`)
	c.StringVar(&f.fixtures, "fixtures", "", "fixture tree (default ./fixtures, searched upwards)")
	c.DurationVar(&f.caseTimeout, "case-timeout", 0, "bound on a whole case (outcome timeout); default: the profile's timeouts.case")
	c.IntVar(&f.parallel, "parallel", 2*runtime.NumCPU(), "cases run at once (at least 1)")
	c.BoolVar(&f.verbose, "verbose", false, "log every event and the SUT's debug output")
}

// check refuses values that parse but mean nothing.
func (f *runFlags) check() error {
	if f.parallel < 1 {
		return badValue("parallel", strconv.Itoa(f.parallel), "must be at least 1")
	}
	if f.caseTimeout < 0 {
		return badValue("case-timeout", f.caseTimeout.String(), "must not be negative")
	}
	return nil
}

func (f *runFlags) runner(fx *fixtures.Fixtures, logOut io.Writer) (*runner.Runner, sut.Adapter, error) {
	adapter, err := sut.Load(f.sut, sut.ReferenceOptions{})
	if err != nil {
		return nil, nil, err
	}
	pki, err := fx.PKI()
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelDebug
	}
	return &runner.Runner{
		PKI: pki, Adapter: adapter, CaseTimeout: f.caseTimeout, Verbose: f.verbose,
		Catalog: fx.Catalogue.Cases,
		Logger:  slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level})),
	}, adapter, nil
}

func cmdRun(args []string) error {
	c := newCommand("run", "lwm2m-conform run [--sut PROFILE] [--label-filter EXPR | --label L...] [--shard i/n] [--out DIR] [--html DIR] [flags]", runAbout)
	var rf runFlags
	rf.bind(c)
	var sel selection
	sel.bind(c)
	out := c.String("out", "reports", "report directory: junit.xml, summary.md, results.json, index.html and evidence/ (those two in --html if given)")
	junit := c.String("junit", "", "also write JUnit XML to this file")
	html := c.String("html", "", "write the HTML report and the evidence it links to only into this directory, so it can be published as is")
	var shard catalog.Shard
	c.Func("shard", "run part i of n of the selected cases (e.g. 2/3), for a CI matrix; lwm2m-conform report merge combines the parts", func(s string) (err error) {
		shard, err = catalog.ParseShard(s)
		return err
	})
	rest, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr(fmt.Errorf("unexpected arguments %q (run takes flags only)", rest))
	}
	if err := rf.check(); err != nil {
		return err
	}
	fx, err := loadFixtures(rf.fixtures)
	if err != nil {
		return usageErr(err)
	}
	selected, expr, err := sel.pick(fx.Catalogue)
	if err != nil {
		return err
	}
	cases, part := selected, (*report.Shard)(nil)
	if shard.Total > 0 {
		cases = shard.Of(selected)
		part = &report.Shard{Index: shard.Index, Total: shard.Total, Selection: caseIDs(selected)}
	}
	release, err := lockDir(*out)
	if err != nil {
		return err
	}
	defer release()
	r, adapter, err := rf.runner(fx, os.Stderr)
	if err != nil {
		return usageErr(err)
	}
	profile, err := profileIdentity(rf.sut, adapter)
	if err != nil {
		return usageErr(err)
	}
	htmlDir := *out
	if *html != "" {
		htmlDir = *html
	}
	r.EvidenceRoot = filepath.Join(htmlDir, "evidence")
	if err := os.RemoveAll(r.EvidenceRoot); err != nil {
		return err
	}
	in, stop := onInterrupt()
	defer stop()

	start := time.Now()
	what := fmt.Sprintf("%d cases", len(cases))
	if part != nil {
		what += fmt.Sprintf(" (shard %s of %d selected)", shard, len(selected))
	}
	fmt.Fprintf(os.Stderr, "running %s against %s (%d at once)\n%s\n", what, adapter.Name(), rf.parallel, legend())
	results := r.RunAll(in, cases, rf.parallel, progress(len(cases)))
	run := report.Run{
		SUT: adapter.Name(), SUTFlag: rf.sut, Started: start, Wall: time.Since(start), Results: results,
		Catalogue: catalog.Hash(fx.Catalogue.Cases), Profile: profile, Shard: part, Interrupted: in.name(),
		Notes: runner.DeviceNotes(adapter, results),
	}
	if expr != "" {
		run.Labels = []string{expr}
	}
	if err := writeReports(*out, *html, run); err != nil {
		return err
	}
	if *junit != "" {
		if err := writeFileWith(*junit, func(w io.Writer) error { return report.WriteJUnit(w, run) }); err != nil {
			return err
		}
	}
	failed := printSummary(os.Stdout, run, *out, htmlDir)
	if in.signal() != 0 {
		return in.status()
	}
	if failed > 0 {
		return exitCode(1)
	}
	return nil
}

// writeReports writes everything into out, or, with a separate html
// directory, the HTML report there only: an index.html and cases/ left in
// out by an earlier run would contradict the new junit.xml beside them.
func writeReports(out, html string, run report.Run) error {
	if html == "" || sameDir(out, html) {
		return report.WriteAll(out, run)
	}
	if err := report.WriteData(out, run); err != nil {
		return err
	}
	os.Remove(filepath.Join(out, "index.html"))
	os.RemoveAll(filepath.Join(out, "cases"))
	return report.WriteHTML(html, run)
}

func sameDir(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

func caseIDs(cases []catalog.Case) []string {
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	return ids
}

// glyphs are the progress marks, one per verdict; legend lists them.
var glyphs = []struct {
	v    verdict.Verdict
	mark string
}{{verdict.Pass, "."}, {verdict.Fail, "F"}, {verdict.Warn, "w"}, {verdict.Info, "i"}, {verdict.Skip, "s"}, {verdict.NotRun, "-"}}

func legend() string {
	s := ""
	for i, g := range glyphs {
		if i > 0 {
			s += "  "
		}
		s += g.mark + " " + string(g.v)
	}
	return s
}

// progress prints a mark per case as it lands, and the count every 80.
func progress(total int) func(verdict.Result) {
	n := 0
	return func(res verdict.Result) {
		n++
		mark := "?"
		for _, g := range glyphs {
			if g.v == res.Verdict {
				mark = g.mark
			}
		}
		fmt.Fprint(os.Stderr, mark)
		if n%80 == 0 || n == total {
			fmt.Fprintf(os.Stderr, " %d/%d\n", n, total)
		}
	}
}

// printSummary writes the one-screen summary and returns the number of
// failures not covered by the profile's baseline.
func printSummary(w io.Writer, run report.Run, out, html string) int {
	counts := map[verdict.Verdict]int{}
	var fails []verdict.Result
	known := 0
	for _, res := range run.Results {
		counts[res.Verdict]++
		if res.Verdict == verdict.Fail {
			if res.Baseline != "" {
				known++
				continue
			}
			fails = append(fails, res)
		}
	}
	fmt.Fprintln(w)
	if line := report.InterruptedLine(run); line != "" {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "%s: %d cases in %s — PASS %d, FAIL %d, WARN %d, INFO %d, SKIP %d",
		run.SUT, len(run.Results), run.Wall.Round(time.Millisecond), counts[verdict.Pass], counts[verdict.Fail],
		counts[verdict.Warn], counts[verdict.Info], counts[verdict.Skip])
	if n := counts[verdict.NotRun]; n > 0 {
		fmt.Fprintf(w, ", NOT RUN %d", n)
	}
	if known > 0 {
		fmt.Fprintf(w, " (%d known deviations in the baseline)", known)
	}
	fmt.Fprintln(w)
	sort.Slice(fails, func(i, j int) bool { return fails[i].Case.ID < fails[j].Case.ID })
	for i, res := range fails {
		if i == 15 {
			fmt.Fprintf(w, "  … and %d more failures (see %s)\n", len(fails)-i, filepath.Join(out, "summary.md"))
			break
		}
		fmt.Fprintf(w, "  FAIL %s: %s\n", res.Case.ID, res.Reason)
	}
	if sameDir(out, html) {
		fmt.Fprintf(w, "reports: %s (junit.xml, index.html, summary.md, results.json)\n", out)
	} else {
		fmt.Fprintf(w, "reports: %s (junit.xml, summary.md, results.json); HTML: %s\n", out, filepath.Join(html, "index.html"))
	}
	return len(fails)
}

func writeFileWith(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
