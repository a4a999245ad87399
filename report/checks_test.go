package report

import (
	"html"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// cellOf returns the matrix cell of a case: class, title (unescaped),
// text and marker.
func cellOf(t *testing.T, index, id string) (class, title, text, marker string) {
	t.Helper()
	for _, c := range gridCellRE.FindAllStringSubmatch(index, -1) {
		title := html.UnescapeString(c[3])
		if strings.HasPrefix(title, id+"\n") {
			return c[1], title, c[4], c[5]
		}
	}
	t.Fatalf("no matrix cell for %s", id)
	return
}

func TestMatrixShowsTheDecisionAndMarksWireFailures(t *testing.T) {
	_, index := writeHTML(t, checksRun())

	class, title, text, marker := cellOf(t, index, "certusage/u0/spk-root/ts-root/chain-full")
	if class != "v-pass" || text != "A/A" || marker == "" {
		t.Errorf("decision PASS, sni FAIL: class %s text %q marker %q, want v-pass A/A with the marker", class, text, marker)
	}
	for _, want := range []string{
		"observed accepted, decided by register at +120.0 ms",
		"PASS decision: expected accept, observed accepted",
		"wire checks failed: sni",
		`FAIL sni: ClientHello carried no SNI, expected "lwm2m.example.net"`,
	} {
		if !strings.Contains(title, want) {
			t.Errorf("title lacks %q:\n%s", want, title)
		}
	}

	class, title, text, marker = cellOf(t, index, "certusage/u1/spk-leaf/ts-absent/chain-leaf")
	if class != "v-fail" || text != "R/C" || marker != "" {
		t.Errorf("crashed case: class %s text %q marker %q, want v-fail R/C without the marker", class, text, marker)
	}
	if !strings.Contains(title, "observed crashed (signal: segmentation fault), decided by exit at +412.0 ms") {
		t.Errorf("crashed title lacks the exit status and what decided it:\n%s", title)
	}

	if class, _, text, _ := cellOf(t, index, "certusage/u3/spk-empty/ts-absent/chain-self-signed"); class != "v-warn" || text != "A/A" {
		t.Errorf("unvalidated accept: class %s text %q, want v-warn A/A", class, text)
	}
}

func TestMatrixLegendIsUnderTheMatrix(t *testing.T) {
	_, index := writeHTML(t, checksRun())
	grid, legend := strings.Index(index, `<table class="grid">`), strings.Index(index, `<div id="matrix-legend">`)
	if grid < 0 || legend < grid {
		t.Fatalf("legend at %d, matrix at %d: want the legend under the matrix", legend, grid)
	}
	rest := index[legend:]
	for _, want := range []string{
		"A accepted", "R rejected", "P refused (a rejection before any handshake: the SUT refused its provisioning)",
		"C crashed", "T timeout", "E error", "I inconclusive",
		`<span class="sw v-pass">A/A<span class="mark">⚑</span></span>a wire check failed`,
		"colour = the decision",
	} {
		if !strings.Contains(rest, want) {
			t.Errorf("legend lacks %q", want)
		}
	}
}

func TestIndexBannerWireCountAndFailedChecks(t *testing.T) {
	_, index := writeHTML(t, checksRun())
	for _, want := range []string{
		`<p class="banner" id="unvalidated">⚠ 1 case accepted a server WITHOUT validating it (usage 2/3 fallback: no Server Public Key, no trust store)</p>`,
		"<dt>wire checks</dt><dd>decision PASS, wire check FAIL: 1</dd>",
		"FAIL sni: ClientHello carried no SNI, expected &#34;lwm2m.example.net&#34;",
		// A stale baseline entry fails on its reason alone.
		"listed in the profile&#39;s baseline as a known deviation (short keys)",
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if _, plain := writeHTML(t, Run{SUT: "s"}); strings.Contains(plain, `class="banner"`) {
		t.Error("a run without the fallback shows its banner")
	}
}

func TestCasePageShowsChecksAndWhatDecided(t *testing.T) {
	dir, _ := writeHTML(t, checksRun())
	page := func(id string) string {
		return html.UnescapeString(readFile(t, filepath.Join(dir, casesDir, slug(id)+".html")))
	}

	crashed := page("certusage/u1/spk-leaf/ts-absent/chain-leaf")
	for _, want := range []string{
		"<dt>observed</dt><dd>crashed (signal: segmentation fault)<br><span class=\"decided\">decided by exit at +412.0 ms</span>",
		"<dt>exit status</dt><dd>signal: segmentation fault</dd>",
		"<h2>Checks</h2>",
		`<tr><td class="mono">decision</td><td><span class="badge v-fail">FAIL</span></td><td>seed</td><td>000 §3</td><td>expected reject, SUT crashed (signal: segmentation fault): the SUT died during the handshake</td></tr>`,
	} {
		if !strings.Contains(crashed, want) {
			t.Errorf("crashed page lacks %q", want)
		}
	}

	wire := page("certusage/u0/spk-root/ts-root/chain-full")
	for _, want := range []string{
		`<tr><td class="mono">decision</td><td><span class="badge v-pass">PASS</span></td><td>seed</td><td>000 §2</td><td>expected accept, observed accepted</td></tr>`,
		`<tr><td class="mono">sni</td><td><span class="badge v-fail">FAIL</span></td><td>seed</td><td>001 §5.15.2.1</td><td>ClientHello carried no SNI, expected "lwm2m.example.net"</td></tr>`,
		"decided by register at +120.0 ms",
	} {
		if !strings.Contains(wire, want) {
			t.Errorf("wire-failure page lacks %q", want)
		}
	}
	if strings.Contains(wire, "exit status") {
		t.Error("a SUT that never exited shows an exit status")
	}

	skipped := html.UnescapeString(readFile(t, filepath.Join(dir, casesDir, slug("psk/identity-16-bytes")+".html")))
	if !strings.Contains(skipped, "<h2>Checks</h2>") {
		t.Error("case page has no Checks section")
	}
}

func TestJUnitFailsAWireCheckThatTheDecisionPassed(t *testing.T) {
	doc := parseJUnit(t, checksRun())
	var c xCase
	for _, s := range doc.Suites {
		for _, tc := range s.Cases {
			if tc.Name == "certusage/u0/spk-root/ts-root/chain-full" {
				c = tc
			}
		}
	}
	if c.Failure == nil || c.Skipped != nil {
		t.Fatalf("decision PASS, sni FAIL: failure=%+v skipped=%+v, want a failure", c.Failure, c.Skipped)
	}
	if c.Failure.Message != `sni: ClientHello carried no SNI, expected "lwm2m.example.net"` {
		t.Errorf("failure message = %q, want the sni check's", c.Failure.Message)
	}
	for _, want := range []string{
		"observed: accepted\n          decided by register at +120.0 ms\n",
		"checks:\n  PASS decision: expected accept, observed accepted\n      basis seed; source 000 §2\n",
		"  FAIL sni: ClientHello carried no SNI, expected \"lwm2m.example.net\"\n      basis seed; source 001 §5.15.2.1\n",
	} {
		if !strings.Contains(c.Failure.Body, want) {
			t.Errorf("failure body lacks %q:\n%s", want, c.Failure.Body)
		}
	}
	for name, want := range map[string]string{
		"verdict":        "FAIL",
		"check.decision": "PASS: expected accept, observed accepted",
		"check.sni":      `FAIL: ClientHello carried no SNI, expected "lwm2m.example.net"`,
	} {
		if got, _ := c.prop(name); got != want {
			t.Errorf("property %s = %q, want %q", name, got, want)
		}
	}
}

func TestSummaryListsFailedChecksAndCountsWireOnlyFailures(t *testing.T) {
	s := summary(t, checksRun())
	for _, want := range []string{
		"- **Result:** FAILED (3 of 4 cases failed)\n- **⚠ WARNING:** 1 case accepted a server WITHOUT validating it (usage 2/3 fallback: no Server Public Key, no trust store)\n",
		"\ndecision PASS, wire check FAIL: 1 (counted in FAIL",
		"| `certusage/u0/spk-root/ts-root/chain-full` | accept | accepted | FAIL sni: ClientHello carried no SNI, expected \"lwm2m.example.net\" |",
		"| `certusage/u1/spk-leaf/ts-absent/chain-leaf` | reject | crashed (signal: segmentation fault) | FAIL decision: expected reject, SUT crashed (signal: segmentation fault): the SUT died during the handshake |",
		"| `psk/identity-16-bytes` | accept | accepted | listed in the profile's baseline as a known deviation (short keys), but the SUT now behaves as expected: remove the entry |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q\n%s", want, s)
		}
	}
}

// The certificate-profile section lists each broken rule once, errors
// first, with how many cases found it; summary.md says the same.
func TestCertificateProfileSection(t *testing.T) {
	finding := func(rule, sev string) verdict.Finding {
		return verdict.Finding{Rule: rule, Severity: sev, Source: "004 §2", Message: "cert 0: " + rule + " broken"}
	}
	res := func(id string, v verdict.Verdict, fs ...verdict.Finding) verdict.Result {
		r := verdict.Result{Case: catalog.Case{ID: id, Area: "certusage", Expect: catalog.Accept, Basis: catalog.BasisSeed},
			Observation: verdict.Observation{Outcome: verdict.Accepted}, Verdict: v,
			Checks: []verdict.Check{{Name: verdict.CheckDecision, Verdict: verdict.Pass, Message: "ok"},
				{Name: verdict.CheckCertProfile, Verdict: v, Message: "profile", Findings: fs}}}
		return r
	}
	run := Run{SUT: "s", Results: []verdict.Result{
		res("certusage/a", verdict.Fail, finding("lwm2m-cn-endpoint", "error"), finding("lwm2m-validity-10y", "warn")),
		res("certusage/b", verdict.Fail, finding("lwm2m-cn-endpoint", "error")),
		res("certusage/c", verdict.Pass),
	}}
	_, index := writeHTML(t, run)
	for _, want := range []string{
		`<section id="certificate-profile">`, "(3 cases linted the SUT's certificate)",
		`<code>lwm2m-cn-endpoint</code></td><td>2</td>`, `<code>lwm2m-validity-10y</code></td><td>1</td>`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if strings.Index(index, "lwm2m-cn-endpoint") > strings.Index(index, "lwm2m-validity-10y") {
		t.Error("errors are not listed first")
	}
	dir := t.TempDir()
	if err := WriteAll(dir, run); err != nil {
		t.Fatal(err)
	}
	if md := readFile(t, filepath.Join(dir, "summary.md")); !strings.Contains(md, "**Certificate profile:** 3 cases linted the SUT's certificate; error lwm2m-cn-endpoint in 2; warn lwm2m-validity-10y in 1") {
		t.Errorf("summary.md: %s", md)
	}
}
