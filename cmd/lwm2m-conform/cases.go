package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
)

func init() { register("cases", "list the catalogued cases and their expected verdicts", cmdCases) }

func cmdCases(args []string) error {
	fs := flag.NewFlagSet("cases", flag.ContinueOnError)
	var labels multiFlag
	fs.Var(&labels, "label", "only cases carrying this label (repeatable; all must match)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	root := fs.String("fixtures", "", "fixture tree (default: ./fixtures, searched upwards)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fx, err := loadFixtures(*root)
	if err != nil {
		return err
	}
	cases := fx.Catalogue.Select(labels...)
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cases)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEXPECT\tBASIS\tDESCRIPTION")
	for _, c := range cases {
		exp := string(c.Expect)
		if c.Unvalidated {
			exp += " (unvalidated)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, exp, c.Basis, c.Description)
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

// multiFlag is a repeatable string flag; commas also separate values.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}
