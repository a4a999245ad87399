package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Filter selects cases with Ginkgo's label-filter language
// ("certusage || sni", "transport && !retransmission"), the same language
// `ginkgo --label-filter` speaks for the suites, over each case's labels
// (its area and its labels). The zero Filter selects every case.
type Filter struct {
	expr  string
	match types.LabelFilter
}

// ParseFilter compiles a label-filter expression; "" selects every case.
// Its error is Ginkgo's message in one line, for the caller to name the
// flag and the expression.
func ParseFilter(expr string) (Filter, error) {
	expr = strings.TrimSpace(expr)
	match, err := types.ParseLabelFilter(expr)
	if err != nil {
		return Filter{}, errors.New(filterError(err))
	}
	return Filter{expr: expr, match: match}, nil
}

// AnyLabel is the expression for "any of these labels" (the --label
// shorthand). A label must be a plain label: no operators, no spaces.
func AnyLabel(labels []string) (string, error) {
	for _, l := range labels {
		if l == "" || strings.ContainsAny(l, "&|!,()/{} \t:") {
			return "", fmt.Errorf("%q is not a plain label (use --label-filter for expressions)", l)
		}
	}
	return strings.Join(labels, " || "), nil
}

// And joins two expressions so that both must hold; either may be "".
func And(a, b string) string {
	switch {
	case strings.TrimSpace(a) == "":
		return strings.TrimSpace(b)
	case strings.TrimSpace(b) == "":
		return strings.TrimSpace(a)
	}
	return "(" + a + ") && (" + b + ")"
}

// String is the expression as given ("" for every case).
func (f Filter) String() string { return f.expr }

// Matches reports whether the case's area and labels satisfy the filter.
func (f Filter) Matches(c Case) bool {
	return f.match == nil || f.match(c.AllLabels())
}

// Filter returns the cases f selects, in catalogue order.
func (c *Catalogue) Filter(f Filter) []Case {
	var out []Case
	for _, cs := range c.Cases {
		if f.Matches(cs) {
			out = append(out, cs)
		}
	}
	return out
}

// Select returns the cases carrying any of labels (every case when none
// are given): the --label shorthand. A label that is not a plain label
// selects nothing.
func (c *Catalogue) Select(labels ...string) []Case {
	expr, err := AnyLabel(labels)
	if err != nil {
		return nil
	}
	f, err := ParseFilter(expr)
	if err != nil {
		return nil
	}
	return c.Filter(f)
}

// AllLabels is the case's area followed by its labels: what a filter sees.
func (c *Case) AllLabels() []string {
	return append([]string{c.Area}, c.Labels...)
}

// LabelCount is how many cases carry a label.
type LabelCount struct {
	Label string `json:"label"`
	Cases int    `json:"cases"`
}

// CountLabels counts every label (areas included) over cases, by name.
func CountLabels(cases []Case) []LabelCount {
	n := map[string]int{}
	for _, c := range cases {
		seen := map[string]bool{}
		for _, l := range c.AllLabels() {
			if !seen[l] {
				seen[l] = true
				n[l]++
			}
		}
	}
	out := make([]LabelCount, 0, len(n))
	for l, k := range n {
		out = append(out, LabelCount{l, k})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// ginkgoMarkup is the colour markup Ginkgo puts in its error messages.
var ginkgoMarkup = regexp.MustCompile(`\{\{[a-z/-]*\}\}`)

// filterError is Ginkgo's syntax error as one plain line, with the
// position it points at (1-based), which it marks only by colour.
func filterError(err error) string {
	var ge types.GinkgoError
	if !errors.As(err, &ge) {
		return err.Error()
	}
	lines := strings.Split(ge.Message, "\n")
	msg := strings.TrimSpace(lines[len(lines)-1])
	if i := strings.Index(ge.Message, "{{red}}"); i >= 0 && len(lines) > 1 {
		pos := len([]rune(ginkgoMarkup.ReplaceAllString(ge.Message[:i], "")))
		msg += fmt.Sprintf(" (at character %d)", pos+1)
	}
	return msg
}
