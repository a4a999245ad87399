package report

import (
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// interruptedRun: one case passed, one was running at SIGINT, one never started.
func interruptedRun() Run {
	c := func(id string) catalog.Case { return catalog.Case{ID: id, Area: "sni", Expect: catalog.Accept} }
	return Run{
		SUT: "reference", Started: t0, Interrupted: "SIGINT",
		Catalogue: "sha256:c0ffee", Profile: Profile{Name: "reference", Hash: "sha256:beef"},
		Results: []verdict.Result{
			{Case: c("sni/a"), Verdict: verdict.Pass, Reason: "expected accept, observed accepted",
				Observation: verdict.Observation{Outcome: verdict.Accepted}},
			{Case: c("sni/b"), Verdict: verdict.NotRun, Reason: "not run: it was running when the run was interrupted"},
			{Case: c("sni/c"), Verdict: verdict.NotRun, Reason: "not run: the run was interrupted before it started"},
		},
	}
}

func TestInterruptedSummary(t *testing.T) {
	s := summary(t, interruptedRun())
	head := "# lwm2m-conform: reference — INTERRUPTED\n\n" +
		"- **⚠ INTERRUPTED by SIGINT: 1 of 3 cases ran; 2 not run (neither passed nor failed)**\n" +
		"- **Result:** passed (1 cases, no failures)\n"
	if !strings.HasPrefix(s, head) {
		t.Errorf("summary starts\n%s\nwant\n%s", s[:min(len(s), len(head)+40)], head)
	}
	for _, want := range []string{"| NOT RUN | 2 |", "| FAIL | 0 |", "- **Profile:** reference sha256:beef\n", "- **Catalogue:** sha256:c0ffee\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q\n%s", want, s)
		}
	}
	if strings.Contains(s, "## Failures") {
		t.Error("cases not run are listed as failures")
	}
}

func TestInterruptedHTMLAndJUnit(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, interruptedRun()); err != nil {
		t.Fatal(err)
	}
	html := readFile(t, filepath.Join(dir, "index.html"))
	banner := `<p class="banner" id="interrupted">⚠ INTERRUPTED by SIGINT: 1 of 3 cases ran; 2 not run (neither passed nor failed)</p>`
	i, h1 := strings.Index(html, banner), strings.Index(html, "<h1>")
	if i < 0 || h1 < 0 || i > h1 {
		t.Errorf("index.html lacks the INTERRUPTED banner above the title:\n%s", html[:min(len(html), 2000)])
	}
	if !strings.Contains(html, `<span class="badge v-other">INTERRUPTED</span>`) || strings.Contains(html, ">PASSED<") {
		t.Error("index.html title badge: want INTERRUPTED, not PASSED")
	}
	var doc xSuites
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(dir, "junit.xml"))), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 3 || doc.Failures != 0 || doc.Skipped != 2 {
		t.Errorf("junit: tests %d failures %d skipped %d, want 3, 0, 2", doc.Tests, doc.Failures, doc.Skipped)
	}
}
