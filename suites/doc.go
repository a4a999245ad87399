// Package suites holds the catalogue as Ginkgo specs: one spec per case,
// labelled with its area and labels, so `ginkgo --label-filter` selects
// areas and `ginkgo -p` spreads cases over processes. Every spec runs its
// case through the runner against the SUT chosen with -sut, attaches the
// result to its report entry, and ReportAfterSuite writes JUnit, HTML and
// Markdown from the aggregated entries.
package suites
