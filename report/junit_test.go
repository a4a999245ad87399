package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// The reader side of the JUnit format, written independently of the writer.
type xSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []xSuite `xml:"testsuite"`
}

type xSuite struct {
	Name       string      `xml:"name,attr"`
	Tests      int         `xml:"tests,attr"`
	Failures   int         `xml:"failures,attr"`
	Skipped    int         `xml:"skipped,attr"`
	Time       string      `xml:"time,attr"`
	Timestamp  string      `xml:"timestamp,attr"`
	Properties []xProperty `xml:"properties>property"`
	Cases      []xCase     `xml:"testcase"`
}

type xProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xMessage struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

type xCase struct {
	Name       string      `xml:"name,attr"`
	Classname  string      `xml:"classname,attr"`
	Time       string      `xml:"time,attr"`
	Properties []xProperty `xml:"properties>property"`
	Failure    *xMessage   `xml:"failure"`
	Skipped    *xMessage   `xml:"skipped"`
	SystemOut  string      `xml:"system-out"`
}

func (c xCase) prop(name string) (string, bool) {
	for _, p := range c.Properties {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

func parseJUnit(t *testing.T, r Run) xSuites {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	var doc xSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, buf.String())
	}
	return doc
}

func TestJUnitSuitesAndCounts(t *testing.T) {
	doc := parseJUnit(t, handRun())
	// The certusage FAIL is a known deviation of the profile's baseline: it
	// is reported as skipped, so a baselined SUT keeps CI green.
	if doc.Tests != 6 || doc.Failures != 1 || doc.Skipped != 2 {
		t.Errorf("totals tests/failures/skipped = %d/%d/%d, want 6/1/2", doc.Tests, doc.Failures, doc.Skipped)
	}
	if doc.Time != "83.000" {
		t.Errorf("run time = %q, want 83.000", doc.Time)
	}
	want := []struct {
		name                     string
		tests, failures, skipped int
		time                     string
	}{
		{"certusage", 3, 0, 1, "2.212"},
		{"sni", 2, 1, 0, "2.220"},
		{"psk", 1, 0, 1, "0.000"},
	}
	if len(doc.Suites) != len(want) {
		t.Fatalf("got %d suites, want %d", len(doc.Suites), len(want))
	}
	for i, w := range want {
		s := doc.Suites[i]
		if s.Name != w.name || s.Tests != w.tests || s.Failures != w.failures || s.Skipped != w.skipped || s.Time != w.time {
			t.Errorf("suite %d = %s %d/%d/%d %s, want %s %d/%d/%d %s", i,
				s.Name, s.Tests, s.Failures, s.Skipped, s.Time, w.name, w.tests, w.failures, w.skipped, w.time)
		}
		if s.Timestamp != "2025-03-14T09:26:53" {
			t.Errorf("suite %s timestamp = %q", s.Name, s.Timestamp)
		}
		for _, c := range s.Cases {
			if c.Classname != "lwm2m-conform."+w.name {
				t.Errorf("case %s classname = %q", c.Name, c.Classname)
			}
		}
	}
	if p := doc.Suites[0].Properties; len(p) < 1 || p[0] != (xProperty{"sut", "fixtures/sut/reference-exec.yaml"}) {
		t.Errorf("suite properties = %v, want sut first", p)
	}
}

func TestJUnitCasesPerVerdict(t *testing.T) {
	doc := parseJUnit(t, handRun())
	cases := map[string]xCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[c.Name] = c
		}
	}
	for _, id := range []string{
		"certusage/u0/spk-root/ts-root/chain-leaf-int", "certusage/u1/spk-root/ts-root/chain-leaf-int",
		"certusage/u3/spk-empty/ts-absent/chain-leaf", "sni/ip-literal-no-sni", "sni/name-mismatch-dane-ee", "psk/identity-128-bytes",
	} {
		c, ok := cases[id]
		if !ok {
			t.Fatalf("no testcase named %q", id)
		}
		for _, name := range []string{"expected", "observed", "alert", "verdict", "basis", "source", "evidence"} {
			if _, ok := c.prop(name); !ok {
				t.Errorf("%s: property %q missing", id, name)
			}
		}
	}

	fail := cases["certusage/u1/spk-root/ts-root/chain-leaf-int"]
	if fail.Failure != nil || fail.Skipped == nil ||
		fail.Skipped.Message != "known deviation (baseline): vendor ticket #42: usage 1 treated as 0 — expected reject, observed accepted" {
		t.Fatalf("baselined FAIL case: failure=%+v skipped=%+v", fail.Failure, fail.Skipped)
	}
	for name, want := range map[string]string{
		"verdict": "FAIL", "expected": "reject", "observed": "accepted", "basis": "seed",
		"source": "000 §3", "evidence": "/tmp/evidence/u1", "baseline": "vendor ticket #42: usage 1 treated as 0",
	} {
		if got, _ := fail.prop(name); got != want {
			t.Errorf("FAIL case property %s = %q, want %q", name, got, want)
		}
	}
	if fail.Time != "1.500" {
		t.Errorf("FAIL case time = %q, want 1.500", fail.Time)
	}
	if !strings.Contains(fail.SystemOut, "last line: registered") || !strings.Contains(fail.SystemOut, "$ lwm2mclient -h lwm2m.example.net -cu 1") {
		t.Errorf("system-out lacks the command or the output tail:\n%s", fail.SystemOut)
	}
	if n := strings.Count(fail.SystemOut, "early line"); n >= 300 || n == 0 {
		t.Errorf("system-out keeps %d of 300 early lines, want a tail", n)
	}

	alert := cases["sni/ip-literal-no-sni"]
	if alert.Failure == nil {
		t.Errorf("a FAIL without a baseline entry must be a JUnit failure")
	}
	if got, _ := alert.prop("alert"); got != "bad_certificate" {
		t.Errorf("alert property = %q", got)
	}
	if got, _ := alert.prop("observed"); got != "rejected (alert bad_certificate)" {
		t.Errorf("observed property = %q", got)
	}
	for name, want := range map[string]string{
		"check.decision": "FAIL: expected accept, observed rejected (alert bad_certificate)",
		"check.sni":      `FAIL: ClientHello carried SNI "lwm2m.example.net" for an IP-literal server URI`,
	} {
		if got, _ := alert.prop(name); got != want {
			t.Errorf("property %s = %q, want %q", name, got, want)
		}
	}
	if alert.Failure.Message != "expected accept, observed rejected (alert bad_certificate)" {
		t.Errorf("failure message = %q, want the case reason", alert.Failure.Message)
	}
	for _, want := range []string{
		"checks:\n",
		"  FAIL decision: expected accept, observed rejected (alert bad_certificate)\n      basis seed; source 001 §SNI\n",
		"  FAIL sni: ClientHello carried SNI \"lwm2m.example.net\" for an IP-literal server URI\n      basis rfc; source RFC 6066 §3\n",
	} {
		if !strings.Contains(alert.Failure.Body, want) {
			t.Errorf("failure body lacks %q:\n%s", want, alert.Failure.Body)
		}
	}
	if _, ok := cases["psk/identity-128-bytes"].prop("check.decision"); ok {
		t.Error("a case the runner never judged has a check property")
	}

	skip := cases["psk/identity-128-bytes"]
	if skip.Skipped == nil || skip.Skipped.Message != "profile: max PSK identity length 64" || skip.Failure != nil {
		t.Errorf("SKIP case: skipped=%+v failure=%+v", skip.Skipped, skip.Failure)
	}
	if got, _ := skip.prop("observed"); got != "not run" {
		t.Errorf("SKIP observed = %q, want not run", got)
	}

	for id, v := range map[string]string{
		"certusage/u0/spk-root/ts-root/chain-leaf-int": "PASS",
		"certusage/u3/spk-empty/ts-absent/chain-leaf":  "WARN",
		"sni/name-mismatch-dane-ee":                    "INFO",
	} {
		c := cases[id]
		if c.Failure != nil || c.Skipped != nil {
			t.Errorf("%s (%s) must pass in JUnit, got failure=%v skipped=%v", id, v, c.Failure, c.Skipped)
		}
		if got, _ := c.prop("verdict"); got != v {
			t.Errorf("%s verdict property = %q, want %s", id, got, v)
		}
		if !strings.HasPrefix(c.SystemOut, v+": ") {
			t.Errorf("%s system-out should start with the verdict: %q", id, c.SystemOut)
		}
	}
}

func TestJUnitSurvivesHostileOutput(t *testing.T) {
	r := Run{SUT: "x", Results: []verdict.Result{{
		Case:      catalog.Case{ID: `weird/"id"<&>`, Area: "sni", Expect: catalog.Accept},
		Verdict:   verdict.Fail,
		Reason:    "bad \x00 byte & <tag>",
		SUTOutput: "\x1b[31mred\x1b[0m\x00\x07 ]]> end\n",
		Duration:  time.Millisecond,
	}}}
	doc := parseJUnit(t, r)
	c := doc.Suites[0].Cases[0]
	if c.Name != `weird/"id"<&>` {
		t.Errorf("name = %q", c.Name)
	}
	if !strings.Contains(c.SystemOut, "red") || strings.Contains(c.SystemOut, "\x1b") || !strings.Contains(c.SystemOut, "]]> end") {
		t.Errorf("system-out = %q", c.SystemOut)
	}
	if c.Failure == nil || !strings.Contains(c.Failure.Message, "& <tag>") {
		t.Errorf("failure = %+v", c.Failure)
	}
}

func TestJUnitEmptyRun(t *testing.T) {
	doc := parseJUnit(t, Run{SUT: "reference"})
	if doc.Tests != 0 || len(doc.Suites) != 0 {
		t.Errorf("empty run: tests=%d suites=%d", doc.Tests, len(doc.Suites))
	}
}
