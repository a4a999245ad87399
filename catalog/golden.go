package catalog

import (
	"fmt"
	"strings"
)

// Golden renders cases as the committed expectation matrix: one line per
// case (id, expect, basis, source), so any change to an expectation shows
// in review as a one-line diff.
func Golden(cases []Case) string {
	var b strings.Builder
	b.WriteString("# Generated from fixtures/catalog/*.yaml by `go test ./catalog -update`.\n")
	b.WriteString("# Columns: case id | expect (+unvalidated) | basis | source. Change only with a commit that says why.\n")
	width := 0
	for _, c := range cases {
		width = max(width, len(c.ID))
	}
	for _, c := range cases {
		exp := string(c.Expect)
		if c.Unvalidated {
			exp += "+unvalidated"
		}
		fmt.Fprintf(&b, "%-*s  %-19s  %-11s  %s\n", width, c.ID, exp, c.Basis, c.Source)
	}
	return b.String()
}
