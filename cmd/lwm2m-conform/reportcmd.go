package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/lwm2m-conform/lwm2m-conform/report"
)

func init() {
	register("report", "work on written reports: report merge --out DIR SHARD-DIR...", cmdReport)
}

const reportAbout = `Subcommands:
  merge --out DIR SHARD-DIR...   combine the results of every shard of a run
                                 (run --shard i/n) into one report: junit.xml,
                                 summary.md, results.json, index.html and the
                                 evidence, as one unsharded run writes them.

merge refuses shards of different catalogue versions, SUT profiles, label
filters or shard counts, a shard given twice or missing, and an --out that
is one of the shards. Exit status: 0 merged; 2 refused or usage error.`

func cmdReport(args []string) error {
	c := newCommand("report", "lwm2m-conform report merge --out DIR SHARD-DIR...", reportAbout)
	if len(args) == 0 || args[0] != "merge" {
		if _, err := c.parse(args); err != nil {
			return err
		}
		return usageErr(fmt.Errorf("want a subcommand: merge (usage: %s)", c.synopsis))
	}
	return cmdMerge(args[1:])
}

func cmdMerge(args []string) error {
	c := newCommand("report merge", "lwm2m-conform report merge --out DIR SHARD-DIR|results.json...", reportAbout)
	out := c.String("out", "", "directory for the merged report (required)")
	dirs, err := c.parse(args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usageErr(errors.New("--out is required"))
	}
	if len(dirs) == 0 {
		return usageErr(errors.New("no shard reports given"))
	}
	var in []report.ShardRun
	for _, d := range dirs {
		r, dir, err := report.ReadRunFrom(d)
		if err != nil {
			return usageErr(err)
		}
		if sameDir(dir, *out) {
			return usageErr(fmt.Errorf("--out %s is one of the shards: merge into a directory of its own", *out))
		}
		in = append(in, report.ShardRun{From: dir, Run: r})
	}
	merged, err := report.Merge(in)
	if err != nil {
		return usageErr(err)
	}
	release, err := lockDir(*out)
	if err != nil {
		return err
	}
	defer release()
	if err := report.CopyEvidence(*out, in, &merged); err != nil {
		return err
	}
	if err := report.WriteAll(*out, merged); err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "merged %d shards, %d cases: %s\n", len(in), len(merged.Results), *out)
	if line := report.InterruptedLine(merged); line != "" {
		fmt.Fprintln(os.Stdout, line)
	}
	return nil
}
