package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func summary(t *testing.T, r Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSummary(&buf, r); err != nil {
		t.Fatalf("WriteSummary: %v", err)
	}
	return buf.String()
}

func TestSummaryTotalsAreasAndFailures(t *testing.T) {
	s := summary(t, handRun())
	for _, want := range []string{
		"# lwm2m-conform: fixtures/sut/reference-exec.yaml",
		"**Result:** FAILED (1 of 6 cases failed)", // the baselined FAIL does not count, as in JUnit and the exit status
		"**Wall time:** 1m23s",
		"**Started:** 2025-03-14 09:26:53 UTC",
		"**Labels:** certusage, sni, psk",
		"**Note:** baseline: 1 known deviation",
		"| PASS | 1 |", "| FAIL | 2 |", "| WARN | 1 |", "| INFO | 1 |", "| SKIP | 1 |", "| **total** | **6** |",
		"| area | cases | PASS | FAIL | WARN | INFO | SKIP | case time |",
		"| certusage | 3 | 1 | 1 | 1 | 0 | 0 | 2.212 s |",
		"| sni | 2 | 0 | 1 | 0 | 1 | 0 | 2.220 s |",
		"| psk | 1 | 0 | 0 | 0 | 0 | 1 | 0.0 ms |",
		"## Failures (2)",
		"| case | expected | observed | checks |",
		"| `certusage/u1/spk-root/ts-root/chain-leaf-int` | reject | accepted | FAIL decision: expected reject, observed accepted — known deviation (baseline): vendor ticket #42: usage 1 treated as 0 |",
		"| `sni/ip-literal-no-sni` | accept | rejected (alert bad_certificate) | FAIL decision: expected accept, observed rejected (alert bad_certificate); FAIL sni: ClientHello carried SNI \"lwm2m.example.net\" for an IP-literal server URI |",
		"## Warnings (1)",
		"| `certusage/u3/spk-empty/ts-absent/chain-leaf` | accept | accepted | WARN decision: accepted WITHOUT server validation |",
		"- **⚠ WARNING:** 1 case accepted a server WITHOUT validating it (usage 2/3 fallback: no Server Public Key, no trust store)\n",
		"\ndecision PASS, wire check FAIL: 0 (counted in FAIL",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q\n%s", want, s)
		}
	}
	if strings.Contains(s, "psk/identity-128-bytes") {
		t.Error("a skipped case is listed among failures")
	}
}

func TestSummaryPassingRunAndEscaping(t *testing.T) {
	r := Run{SUT: "a|b\nc", Results: []verdict.Result{{
		Case: catalog.Case{ID: "sni/x", Area: "sni", Expect: catalog.Accept}, Verdict: verdict.Pass,
	}}}
	s := summary(t, r)
	if !strings.Contains(s, "passed (1 cases, no failures)") || strings.Contains(s, "## Failures") || strings.Contains(s, "WITHOUT validating") {
		t.Errorf("passing run summary:\n%s", s)
	}
	if !strings.Contains(s, "# lwm2m-conform: a|b c\n") {
		t.Errorf("SUT name not flattened to one line:\n%s", s)
	}

	r.Results[0].Verdict, r.Results[0].Reason = verdict.Fail, "pipe | in\nreason"
	s = summary(t, r)
	if !strings.Contains(s, `pipe \| in reason |`) {
		t.Errorf("reason not escaped for a table cell:\n%s", s)
	}
}

func TestSummaryCapsLongFailureLists(t *testing.T) {
	var rs []verdict.Result
	for i := range maxListed + 5 {
		rs = append(rs, verdict.Result{
			Case:    catalog.Case{ID: fmt.Sprintf("certusage/c%03d", i), Area: "certusage", Expect: catalog.Reject},
			Verdict: verdict.Fail, Reason: "r",
		})
	}
	s := summary(t, Run{SUT: "s", Results: rs})
	if !strings.Contains(s, "certusage/c099") || strings.Contains(s, "certusage/c100") {
		t.Error("failure list not capped at maxListed")
	}
	if !strings.Contains(s, "and 5 more") {
		t.Error("capped list does not say how many were left out")
	}
}
