package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// writeRun writes a results.json of one sni case with the given verdict
// and outcome into a report directory.
func writeRun(t *testing.T, v verdict.Verdict, o verdict.Outcome) string {
	t.Helper()
	dir := t.TempDir()
	r := report.Run{SUT: "reference", Results: []verdict.Result{{
		Case:        catalog.Case{ID: "sni/san-dns-match/u0", Area: "sni", Expect: catalog.Accept},
		Observation: verdict.Observation{Outcome: o}, Verdict: v, Reason: "expected accept, SUT " + string(o),
	}}}
	if v == verdict.Fail {
		r.Results[0].Checks = []verdict.Check{{Name: "decision", Verdict: verdict.Fail}}
	}
	f, err := os.Create(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := report.WriteJSON(f, r); err != nil {
		t.Fatal(err)
	}
	return dir
}

// diff exits 1 on a new FAIL, 0 otherwise; it reads report directories
// and results.json files alike.
func TestDiffExitStatusAndFormats(t *testing.T) {
	pass, fail := writeRun(t, verdict.Pass, verdict.Accepted), writeRun(t, verdict.Fail, verdict.Rejected)
	code, stdout, stderr := runCLI(t, "diff", pass, filepath.Join(fail, "results.json"))
	if code != 1 || !strings.Contains(stdout, "\nNew FAILs (1)\n  sni/san-dns-match/u0\n      was PASS: accepted\n      now FAIL: rejected; failed checks: decision\n") ||
		!strings.HasSuffix(stdout, "\n1 new FAIL, 1 changed observation\n") {
		t.Errorf("new FAIL: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "diff", "--format", "markdown", fail, pass)
	if code != 0 || !strings.HasPrefix(stdout, "### lwm2m-conform: 0 new FAILs, 1 fixed, 1 changed observation\n") ||
		!strings.Contains(stdout, "| `sni/san-dns-match/u0` | FAIL: rejected; failed checks: decision | PASS: accepted |  |\n") {
		t.Errorf("fixed, markdown: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "diff", pass, filepath.Join(pass, "nope.json")); code != 2 || !strings.Contains(stderr, "nope.json: no such file or directory") {
		t.Errorf("missing input: exit %d, %q", code, stderr)
	}
}
