package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/runner"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func init() {
	register("reproduce", "rerun cases one at a time, verbosely, with their full evidence", cmdReproduce)
}

const reproduceAbout = `Runs each case given by id, then each case the selection picks (ids first,
each once), one at a time, and prints its events, SUT output, checks and
evidence files.

Exit status: 0 no FAIL outside the profile's baseline; 1 at least one; 2 usage
or input error (an unknown id, a selection that selects nothing); 130 or 143
interrupted by SIGINT or SIGTERM.`

func cmdReproduce(args []string) error {
	c := newCommand("reproduce", "lwm2m-conform reproduce CASE-ID... [--label-filter EXPR | --label L...] [--sut PROFILE] [--out DIR]", reproduceAbout)
	var rf runFlags
	rf.bind(c)
	var sel selection
	sel.bind(c)
	out := c.String("out", "reports/reproduce", "evidence directory")
	ids, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(ids) == 0 && !sel.given() {
		return usageErr(fmt.Errorf("no case given (usage: %s)", c.synopsis))
	}
	if err := rf.check(); err != nil {
		return err
	}
	rf.verbose = true
	fx, err := loadFixtures(rf.fixtures)
	if err != nil {
		return usageErr(err)
	}
	cases, err := reproduceCases(fx.Catalogue, ids, &sel)
	if err != nil {
		return err
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
	r.EvidenceRoot = *out
	in, stop := onInterrupt()
	defer stop()

	failed := 0
	for i, c := range cases {
		if in.Err() != nil {
			break
		}
		if len(cases) > 1 {
			fmt.Printf("=== %d/%d ===\n", i+1, len(cases))
		}
		if reproduceOne(in, r, c, adapter.Name()) {
			failed++
		}
		fmt.Println()
	}
	if in.signal() != 0 {
		fmt.Fprintf(os.Stderr, "lwm2m-conform reproduce: interrupted by %s\n", in.name())
		return in.status()
	}
	if len(cases) > 1 {
		fmt.Printf("%d cases reproduced, %d failed\n", len(cases), failed)
	}
	if failed > 0 {
		return exitCode(1)
	}
	return nil
}

// reproduceCases resolves ids and the selection into cases, ids first,
// each case once.
func reproduceCases(cat *catalog.Catalogue, ids []string, sel *selection) ([]catalog.Case, error) {
	var cases []catalog.Case
	seen := map[string]bool{}
	for _, id := range ids {
		c, ok := cat.Get(id)
		if !ok {
			return nil, usageErr(fmt.Errorf("no case %q (lwm2m-conform cases lists them)", id))
		}
		if !seen[id] {
			seen[id] = true
			cases = append(cases, c)
		}
	}
	if !sel.given() {
		return cases, nil
	}
	picked, _, err := sel.pick(cat)
	if err != nil {
		return nil, err
	}
	for _, c := range picked {
		if !seen[c.ID] {
			seen[c.ID] = true
			cases = append(cases, c)
		}
	}
	return cases, nil
}

// reproduceOne runs a case and prints everything about it; it reports
// whether the case failed outside the baseline.
func reproduceOne(ctx context.Context, r *runner.Runner, c catalog.Case, sutName string) bool {
	fmt.Printf("case     %s\n%s\nsource   %s (basis %s)\nexpect   %s\nSUT      %s\n\n", c.ID, c.Description, c.Source, c.Basis, c.Expect, sutName)
	res := r.Run(ctx, c)
	if res.SUTCommand != "" {
		fmt.Printf("SUT command line:\n  %s\n\n", res.SUTCommand)
	}
	fmt.Println("events:")
	for _, e := range res.Events {
		fmt.Printf("  +%7.1fms  %-16s %s\n", float64(e.Time.Sub(res.Events[0].Time).Microseconds())/1000, e.Kind, e.Summary)
	}
	if res.SUTOutput != "" {
		fmt.Printf("\nSUT output:\n%s\n", indent(res.SUTOutput))
	}
	fmt.Printf("\nobserved %s\n", res.Observation)
	if o := res.Observation; o.DecidedBy != "" {
		fmt.Printf("         decided by %s at +%s\n", o.DecidedBy, o.DecidedAt)
	}
	if res.Observation.Exit != "" {
		fmt.Printf("exit     %s\n", res.Observation.Exit)
	}
	fmt.Printf("verdict  %s — %s\n", res.Verdict, res.Reason)
	for _, c := range res.Checks {
		fmt.Printf("check    %s", report.CheckLine(c))
		if c.Basis != "" || c.Source != "" {
			fmt.Printf("  [basis %s; source %s]", c.Basis, c.Source)
		}
		fmt.Println()
	}
	if res.EvidenceDir != "" {
		printEvidence(res.EvidenceDir)
	}
	return res.Verdict == verdict.Fail && res.Baseline == ""
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
