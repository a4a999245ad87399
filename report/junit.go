package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// SUT output kept in a testcase's system-out: the end is where a client
// says why it gave up.
const (
	junitOutputLines = 100
	junitOutputBytes = 16 << 10
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Properties []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties junitProperties `xml:"properties"`
	Failure    *junitMessage   `xml:"failure,omitempty"`
	Skipped    *junitMessage   `xml:"skipped,omitempty"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes r as JUnit XML: one <testsuite> per area, one
// <testcase> per case named by its id. FAIL becomes <failure>, SKIP
// <skipped>; PASS, WARN and INFO pass, with the verdict kept as a property.
// Every check is a property too (check.<name> = "FAIL: message"), and a
// failure body lists them all with basis and source.
func WriteJUnit(w io.Writer, r Run) error {
	doc := junitSuites{Name: "lwm2m-conform", Time: seconds(r.Wall)}
	for _, g := range groupByArea(r.Results) {
		s := junitSuite{
			Name:       g.Area,
			Timestamp:  junitTimestamp(r.Started),
			Properties: &junitProperties{Properties: suiteProperties(r)},
		}
		var total time.Duration
		for _, res := range g.Results {
			c := junitTestcase(g.Area, res)
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Skipped != nil:
				s.Skipped++
			}
			total += res.Duration
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		s.Time = seconds(total)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitTestcase(area string, res verdict.Result) junitCase {
	c := junitCase{
		Name:       res.Case.ID,
		Classname:  "lwm2m-conform." + area,
		Time:       seconds(res.Duration),
		Properties: junitProperties{Properties: caseProperties(res)},
		SystemOut:  caseSystemOut(res),
	}
	switch {
	case res.Verdict == verdict.Fail && res.Baseline != "":
		// A known deviation from the profile's baseline: visible, not a CI failure.
		c.Skipped = &junitMessage{Message: "known deviation (baseline): " + res.Baseline + " — " + res.Reason}
	case res.Verdict == verdict.Fail:
		c.Failure = &junitMessage{Message: res.Reason, Type: string(res.Verdict), Body: failureBody(res)}
	case res.Verdict == verdict.Skip, res.Verdict == verdict.NotRun:
		c.Skipped = &junitMessage{Message: res.Reason}
	}
	return c
}

// caseProperties always carries the same names, empty when not applicable,
// so a CI dashboard can rely on them.
func caseProperties(res verdict.Result) []junitProperty {
	ps := []junitProperty{
		{"verdict", string(res.Verdict)},
		{"expected", string(res.Case.Expect)},
		{"observed", observedText(res.Observation)},
		{"alert", res.Observation.Alert},
		{"basis", string(res.Case.Basis)},
		{"source", res.Case.Source},
		{"evidence", res.EvidenceDir},
	}
	if res.Baseline != "" {
		ps = append(ps, junitProperty{"baseline", res.Baseline})
	}
	// One property per check, so a dashboard sees which expectation failed
	// without parsing the failure body.
	for _, c := range res.Checks {
		ps = append(ps, junitProperty{"check." + c.Name, string(c.Verdict) + ": " + c.Message})
	}
	return ps
}

func suiteProperties(r Run) []junitProperty {
	ps := []junitProperty{{"sut", r.SUT}}
	if len(r.Labels) > 0 {
		ps = append(ps, junitProperty{"labels", strings.Join(r.Labels, ",")})
	}
	for _, n := range r.Notes {
		ps = append(ps, junitProperty{"note", n})
	}
	if r.Interrupted != "" {
		ps = append(ps, junitProperty{"interrupted", InterruptedLine(r)})
	}
	return ps
}

// failureBody is what a CI system shows under a failure: enough to start
// triage without opening the HTML report.
func failureBody(res verdict.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "case:     %s\n", res.Case.ID)
	if res.Case.Description != "" {
		fmt.Fprintf(&b, "what:     %s\n", res.Case.Description)
	}
	fmt.Fprintf(&b, "expected: %s\n", res.Case.Expect)
	fmt.Fprintf(&b, "observed: %s\n", observedText(res.Observation))
	if d := decidedText(res.Observation); d != "" {
		fmt.Fprintf(&b, "          %s\n", d)
	}
	if res.Observation.Detail != "" {
		fmt.Fprintf(&b, "detail:   %s\n", res.Observation.Detail)
	}
	// Every check, passed ones too: a wire failure reads differently when
	// the decision passed. Without checks, the case's own source.
	if len(res.Checks) == 0 {
		fmt.Fprintf(&b, "source:   %s (basis %s)\n", res.Case.Source, res.Case.Basis)
	} else {
		b.WriteString("checks:\n")
	}
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "  %s\n", CheckLine(c))
		if c.Basis != "" || c.Source != "" {
			fmt.Fprintf(&b, "      basis %s; source %s\n", orNone(string(c.Basis), "none"), orNone(c.Source, "none"))
		}
	}
	if res.Baseline != "" {
		fmt.Fprintf(&b, "baseline: known deviation: %s\n", res.Baseline)
	}
	if res.EvidenceDir != "" {
		fmt.Fprintf(&b, "evidence: %s\n", res.EvidenceDir)
	}
	return b.String()
}

// caseSystemOut is the verdict line, the SUT command and the tail of the
// SUT's output.
func caseSystemOut(res verdict.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", res.Verdict, res.Reason)
	if res.SUTCommand != "" {
		fmt.Fprintf(&b, "$ %s\n", cleanText(res.SUTCommand))
	}
	if res.SUTOutput != "" {
		b.WriteString(tailWithMarker(res.SUTOutput, junitOutputLines, junitOutputBytes))
		b.WriteString("\n")
	}
	return b.String()
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// junitTimestamp is ISO 8601 without a zone, as the JUnit schema wants.
func junitTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}
