package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/runner"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func init() {
	register("run", "run the catalogue against a client under test and write reports", cmdRun)
}

// runFlags are shared by run and reproduce.
type runFlags struct {
	sut, fixtures string
	insecure      bool
	caseTimeout   time.Duration
	parallel           int
	verbose            bool
}

func (f *runFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.sut, "sut", "reference", `client under test: "reference" (built in) or a SUT profile YAML`)
	fs.StringVar(&f.fixtures, "fixtures", "", "fixture tree (default ./fixtures, searched upwards)")
	fs.DurationVar(&f.caseTimeout, "case-timeout", 0, "bound on a whole case (outcome timeout); default: the profile's timeouts.case")
	fs.IntVar(&f.parallel, "parallel", 2*runtime.NumCPU(), "cases run at once")
	fs.BoolVar(&f.verbose, "verbose", false, "log every event and the SUT's debug output")
}

// signalContext cancels on SIGINT/SIGTERM and stops every SUT process.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		sut.StopAll()
	}()
	return ctx, func() { cancel(); sut.StopAll() }
}

func (f *runFlags) runner(logOut io.Writer) (*runner.Runner, sut.Adapter, error) {
	fx, err := loadFixtures(f.fixtures)
	if err != nil {
		return nil, nil, err
	}
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
		Catalog: fx.Catalogue.Select(),
		Logger: slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level})),
	}, adapter, nil
}

func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var rf runFlags
	rf.bind(fs)
	var labels multiFlag
	fs.Var(&labels, "label", "only cases carrying this label (repeatable)")
	out := fs.String("out", "reports", "report directory: junit.xml, index.html, summary.md, evidence/")
	junit := fs.String("junit", "", "also write JUnit XML to this file")
	html := fs.String("html", "", "write the HTML report to this directory instead of --out")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fx, err := loadFixtures(rf.fixtures)
	if err != nil {
		return err
	}
	cases := fx.Catalogue.Select(labels...)
	if len(cases) == 0 {
		return fmt.Errorf("no case carries label(s) %v", labels)
	}
	r, adapter, err := rf.runner(os.Stderr)
	if err != nil {
		return err
	}
	r.EvidenceRoot = filepath.Join(*out, "evidence")
	if err := os.RemoveAll(r.EvidenceRoot); err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()

	start := time.Now()
	fmt.Fprintf(os.Stderr, "running %d cases against %s (%d at once)\n", len(cases), adapter.Name(), rf.parallel)
	results := r.RunAll(ctx, cases, rf.parallel, progress(len(cases)))
	run := report.Run{SUT: adapter.Name(), Started: start, Wall: time.Since(start), Labels: labels, Results: results}
	if err := report.WriteAll(*out, run); err != nil {
		return err
	}
	if *html != "" {
		if err := report.WriteHTML(*html, run); err != nil {
			return err
		}
	}
	if *junit != "" {
		if err := writeFileWith(*junit, func(w io.Writer) error { return report.WriteJUnit(w, run) }); err != nil {
			return err
		}
	}
	failed := printSummary(os.Stdout, run, *out)
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: %w", ctx.Err())
	}
	if failed > 0 {
		return exitCode(1)
	}
	return nil
}

// progress prints a dot per case, a letter for anything but a pass.
func progress(total int) func(verdict.Result) {
	n := 0
	return func(res verdict.Result) {
		n++
		mark := "."
		switch res.Verdict {
		case verdict.Fail:
			mark = "F"
		case verdict.Skip:
			mark = "s"
		case verdict.Warn:
			mark = "w"
		case verdict.Info:
			mark = "i"
		}
		fmt.Fprint(os.Stderr, mark)
		if n%80 == 0 || n == total {
			fmt.Fprintf(os.Stderr, " %d/%d\n", n, total)
		}
	}
}

// printSummary writes the one-screen summary and returns the number of
// failures not covered by the profile's baseline.
func printSummary(w io.Writer, run report.Run, out string) int {
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
	fmt.Fprintf(w, "\n%s: %d cases in %s — PASS %d, FAIL %d, WARN %d, INFO %d, SKIP %d",
		run.SUT, len(run.Results), run.Wall.Round(time.Millisecond), counts[verdict.Pass], counts[verdict.Fail],
		counts[verdict.Warn], counts[verdict.Info], counts[verdict.Skip])
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
	fmt.Fprintf(w, "reports: %s (junit.xml, index.html, summary.md)\n", out)
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
