package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// countCases runs `cases ARGS --json` and returns how many cases it lists.
func countCases(t *testing.T, args ...string) int {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"cases", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("cases %v: exit %d: %s", args, code, stderr)
	}
	var cases []struct{ ID string }
	if err := json.Unmarshal([]byte(stdout), &cases); err != nil {
		t.Fatal(err)
	}
	return len(cases)
}

// The catalogue: certusage 480, sni 48, psk 14, retransmission 4, and 30
// cases labelled transport.
func TestLabelFilterSelection(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--label-filter", "certusage || sni"}, 528},
		{[]string{"--label-filter", "transport && !retransmission"}, 26},
		{[]string{"--label", "sni", "--label", "psk"}, 62}, // any of them, not both
		{[]string{"--label", "sni,psk"}, 62},
		{[]string{"--label", "x509", "--label-filter", "!certusage"}, 72}, // both flags must hold
	} {
		if got := countCases(t, tc.args...); got != tc.want {
			t.Errorf("cases %v: %d cases, want %d", tc.args, got, tc.want)
		}
	}
}

func TestCasesLabelsCountsEveryLabel(t *testing.T) {
	code, stdout, _ := runCLI(t, "cases", "--labels", "--label-filter", "transport")
	want := []string{"LABEL", "cid 3", "ciphers 6", "psk 14", "resumption 3", "retransmission 4", "transport 30"}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		got = append(got, strings.Join(strings.Fields(l), " "))
	}
	if code != 0 || strings.Join(got, "|") != "LABEL CASES|"+strings.Join(want[1:], "|") {
		t.Errorf("exit %d, labels:\n%s\nwant %v", code, stdout, want)
	}
}
