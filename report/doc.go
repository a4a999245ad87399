// Package report writes the outputs of a conformance run: JUnit XML for CI
// gates, an HTML report (certificate-usage matrix, per-area tables and one
// detail page per case with its evidence), a Markdown summary for CI logs and
// the raw results as JSON so a report can be rendered again later.
package report
