package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
)

func init() { register("cases", "list the catalogued cases and their expected verdicts", cmdCases) }

func cmdCases(args []string) error {
	c := newCommand("cases", "lwm2m-conform cases [--label-filter EXPR | --label L...] [--labels] [--json]",
		"Lists the selected cases (all without a selection) with their expectations, or with\n--labels every label and how many of the selected cases carry it.\nA selection that selects nothing is an error (exit status 2).")
	var sel selection
	sel.bind(c)
	labels := c.Bool("labels", false, "list every label with its number of cases instead of the cases")
	asJSON := c.Bool("json", false, "print JSON")
	root := c.String("fixtures", "", "fixture tree (default: ./fixtures, searched upwards)")
	rest, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr(fmt.Errorf("unexpected arguments %q", rest))
	}
	fx, err := loadFixtures(*root)
	if err != nil {
		return usageErr(err)
	}
	cases, _, err := sel.pick(fx.Catalogue)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	switch {
	case *labels && *asJSON:
		return enc.Encode(catalog.CountLabels(cases))
	case *labels:
		fmt.Fprintln(tw, "LABEL\tCASES")
		for _, l := range catalog.CountLabels(cases) {
			fmt.Fprintf(tw, "%s\t%d\n", l.Label, l.Cases)
		}
	case *asJSON:
		return enc.Encode(cases)
	default:
		fmt.Fprintln(tw, "ID\tEXPECT\tBASIS\tDESCRIPTION")
		for _, c := range cases {
			exp := string(c.Expect)
			if c.Unvalidated {
				exp += " (unvalidated)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, exp, c.Basis, c.Description)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d cases\n", len(cases))
	return nil
}

// loadFixtures loads the fixture tree from root, or finds ./fixtures.
func loadFixtures(root string) (*fixtures.Fixtures, error) {
	if root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		var ok bool
		if root, ok = fixtures.Find(wd); !ok {
			return nil, fmt.Errorf("no fixtures/catalog found from %s upwards (use --fixtures DIR)", wd)
		}
	}
	return fixtures.Load(root)
}
