package main

import (
	"fmt"
	"os"

	"github.com/lwm2m-conform/lwm2m-conform/report"
)

func init() {
	register("diff", "compare two runs: new FAILs, fixed cases, changed observations, timing outliers", cmdDiff)
}

const diffAbout = `Compares two runs, each a report directory or a results.json file, case by
case: new FAILs (outside the NEW profile's baseline), fixed cases, changed
observations (outcome, alert, failed checks), timing outliers (more than 3×
and at least 1 s slower), and cases only in one run or not run in NEW.
--format markdown writes a pull-request comment.

Exit status: 0 no new FAIL; 1 at least one new FAIL; 2 usage or input error.`

func cmdDiff(args []string) error {
	c := newCommand("diff", "lwm2m-conform diff [--format text|markdown] OLD NEW", diffAbout)
	format := "text"
	c.Func("format", `output format: "text" (default) or "markdown" (a pull-request comment)`, func(s string) error {
		if s != "text" && s != "markdown" {
			return fmt.Errorf(`want "text" or "markdown"`)
		}
		format = s
		return nil
	})
	paths, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(paths) != 2 {
		return usageErr(fmt.Errorf("want OLD and NEW (report directories or results.json files), got %d arguments", len(paths)))
	}
	before, _, err := report.ReadRunFrom(paths[0])
	if err != nil {
		return usageErr(err)
	}
	after, _, err := report.ReadRunFrom(paths[1])
	if err != nil {
		return usageErr(err)
	}
	d := report.Compare(before, after)
	d.OldName, d.NewName = paths[0], paths[1]
	write := d.WriteText
	if format == "markdown" {
		write = d.WriteMarkdown
	}
	if err := write(os.Stdout); err != nil {
		return err
	}
	if len(d.NewFails) > 0 {
		return exitCode(1)
	}
	return nil
}
