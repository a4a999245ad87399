package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func res(id string, v verdict.Verdict, outcome verdict.Outcome, alert string, d time.Duration, failed ...string) verdict.Result {
	r := verdict.Result{Case: catalog.Case{ID: id, Area: "sni"}, Verdict: v, Duration: d,
		Observation: verdict.Observation{Outcome: outcome, Alert: alert}}
	for _, f := range failed {
		r.Checks = append(r.Checks, verdict.Check{Name: f, Verdict: verdict.Fail})
	}
	if v == verdict.Fail {
		r.Reason = "expected accept, SUT " + r.Observation.String()
	}
	return r
}

// diffRuns: a breaks, b is fixed, c is slower, d was cut short, e left the
// catalogue, g joined it failing, s stays skipped, k stays a known deviation.
func diffRuns() (Run, Run) {
	old := Run{SUT: "reference", Catalogue: "sha256:1", Profile: Profile{"reference", "sha256:p"}, Results: []verdict.Result{
		res("sni/a", verdict.Pass, verdict.Accepted, "", 10*time.Millisecond),
		res("sni/b", verdict.Fail, verdict.Rejected, "bad_certificate", 10*time.Millisecond, "decision"),
		res("sni/c", verdict.Pass, verdict.Accepted, "", 100*time.Millisecond),
		res("sni/d", verdict.Pass, verdict.Accepted, "", 10*time.Millisecond),
		res("sni/e", verdict.Pass, verdict.Accepted, "", 10*time.Millisecond),
		res("sni/s", verdict.Skip, "", "", 0),
		res("sni/k", verdict.Fail, verdict.Rejected, "", 10*time.Millisecond, "decision"),
	}}
	old.Results[6].Baseline = "ticket 7"
	new := Run{SUT: "reference", Catalogue: "sha256:2", Profile: Profile{"reference", "sha256:p"}, Results: []verdict.Result{
		res("sni/a", verdict.Fail, verdict.Rejected, "bad_certificate", 10*time.Millisecond, "decision"),
		res("sni/b", verdict.Pass, verdict.Accepted, "", 10*time.Millisecond),
		res("sni/c", verdict.Pass, verdict.Accepted, "", 2*time.Second),
		res("sni/d", verdict.NotRun, "", "", 0),
		res("sni/g", verdict.Fail, verdict.Timeout, "", time.Second, "decision"),
		res("sni/s", verdict.Skip, "", "", 0),
		res("sni/k", verdict.Fail, verdict.Rejected, "", 10*time.Millisecond, "decision"),
	}}
	new.Results[6].Baseline = "ticket 7"
	return old, new
}

func TestCompareSortsEveryChange(t *testing.T) {
	old, new := diffRuns()
	d := Compare(old, new)
	ids := func(cs []Change) (out []string) {
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for name, got := range map[string][]string{
		"new FAILs": ids(d.NewFails), "fixed": ids(d.Fixed), "changed": ids(d.Changed), "slower": ids(d.Slower),
		"added": d.Added, "removed": d.Removed, "not run": d.NotRun,
	} {
		want := map[string][]string{
			"new FAILs": {"sni/a", "sni/g"}, "fixed": {"sni/b"}, "changed": {"sni/a", "sni/b"}, "slower": {"sni/c"},
			"added": {"sni/g"}, "removed": {"sni/e"}, "not run": {"sni/d"},
		}[name]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	if h := d.Headline(); h != "2 new FAILs, 1 fixed, 2 changed observations, 1 timing outlier" {
		t.Errorf("headline %q", h)
	}
}

// A 5 ms case turning 50 ms is not an outlier (less than 1 s slower), nor
// a 2 s case turning 4 s (less than 3×).
func TestTimingOutliersNeedBothThresholds(t *testing.T) {
	old := Run{Results: []verdict.Result{res("a", verdict.Pass, verdict.Accepted, "", 5*time.Millisecond), res("b", verdict.Pass, verdict.Accepted, "", 2*time.Second)}}
	new := Run{Results: []verdict.Result{res("a", verdict.Pass, verdict.Accepted, "", 50*time.Millisecond), res("b", verdict.Pass, verdict.Accepted, "", 4*time.Second)}}
	if d := Compare(old, new); len(d.Slower) != 0 || d.Headline() != "0 new FAILs" {
		t.Errorf("outliers %v, headline %q", d.Slower, d.Headline())
	}
}

func TestDiffText(t *testing.T) {
	old, new := diffRuns()
	d := Compare(old, new)
	d.OldName, d.NewName = "main/", "pr/"
	var buf bytes.Buffer
	if err := d.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `old: main/ (reference, 7 cases)
new: pr/ (reference, 7 cases)
note: the runs used different catalogues (sha256:1, sha256:2)

New FAILs (2)
  sni/a
      was PASS: accepted
      now FAIL: rejected (alert bad_certificate); failed checks: decision
      expected accept, SUT rejected (alert bad_certificate)
  sni/g
      was —
      now FAIL: timeout; failed checks: decision
      expected accept, SUT timeout

Fixed (1)
  sni/b
      was FAIL: rejected (alert bad_certificate); failed checks: decision
      now PASS: accepted

Changed observations (2)
  sni/a
      was PASS: accepted
      now FAIL: rejected (alert bad_certificate); failed checks: decision
  sni/b
      was FAIL: rejected (alert bad_certificate); failed checks: decision
      now PASS: accepted

Timing outliers: more than 3× and 1s slower (1)
  sni/c
      was PASS: accepted
      now PASS: accepted
      100.0 ms → 2.000 s (20.0×)

Only in NEW (1)
  sni/g

Only in OLD (1)
  sni/e

Not run in NEW (interrupted) (1)
  sni/d

2 new FAILs, 1 fixed, 2 changed observations, 1 timing outlier
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDiffMarkdown(t *testing.T) {
	old, new := diffRuns()
	d := Compare(old, new)
	d.OldName, d.NewName = "main/", "pr/"
	var buf bytes.Buffer
	if err := d.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{
		"### lwm2m-conform: 2 new FAILs, 1 fixed, 2 changed observations, 1 timing outlier\n\n- **old:** main/ (reference, 7 cases)\n- **new:** pr/ (reference, 7 cases)\n",
		"- **⚠ note:** the runs used different catalogues (sha256:1, sha256:2)\n",
		"\n#### New FAILs (2)\n\n| case | was | now | |\n|---|---|---|---|\n" +
			"| `sni/a` | PASS: accepted | FAIL: rejected (alert bad_certificate); failed checks: decision | expected accept, SUT rejected (alert bad_certificate) |\n",
		"| `sni/c` | PASS: accepted | PASS: accepted | 100.0 ms → 2.000 s (20.0×) |\n",
		"\n#### Only in OLD (1)\n\n| case |\n|---|\n| `sni/e` |\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("markdown lacks\n%s\n---\n%s", want, s)
		}
	}
}
