package main

import (
	"fmt"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
)

// selection is how cases, run and reproduce pick cases: a label-filter
// expression, and --label as a shorthand for "any of these labels".
// Both are checked as they are parsed, so an error names the flag.
type selection struct {
	labels []string
	filter string
}

func (s *selection) bind(c *command) {
	c.Func("label-filter", `cases whose labels (area + labels) satisfy this Ginkgo label-filter expression, e.g. "certusage || sni", "transport && !retransmission"`, func(v string) error {
		if _, err := catalog.ParseFilter(v); err != nil {
			return err
		}
		s.filter = v
		return nil
	})
	c.Func("label", "cases carrying this label; repeatable or comma-separated, any of them (shorthand for --label-filter 'a || b')", func(v string) error {
		for _, l := range strings.Split(v, ",") {
			l = strings.TrimSpace(l)
			if _, err := catalog.AnyLabel([]string{l}); err != nil {
				return err
			}
			s.labels = append(s.labels, l)
		}
		return nil
	})
}

// given reports whether any selection flag was used.
func (s *selection) given() bool { return s.filter != "" || len(s.labels) > 0 }

// pick returns the selected cases in catalogue order and the one
// expression that selected them (both flags must hold when both are
// given). A selection that selects nothing is an error: a typo in a label
// must not make an empty, green run.
func (s *selection) pick(cat *catalog.Catalogue) ([]catalog.Case, string, error) {
	anyOf, err := catalog.AnyLabel(s.labels)
	if err != nil {
		return nil, "", usageErr(err)
	}
	expr := catalog.And(anyOf, s.filter)
	f, err := catalog.ParseFilter(expr)
	if err != nil {
		return nil, "", usageErr(fmt.Errorf("label filter %q: %w", expr, err))
	}
	cases := cat.Filter(f)
	if len(cases) == 0 {
		return nil, "", usageErr(fmt.Errorf("no case matches the label filter %q (lwm2m-conform cases --labels lists the labels)", expr))
	}
	return cases, expr, nil
}
