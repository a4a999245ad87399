package main

import (
	"strings"
	"testing"
)

// --help and -h print the usage to stdout and succeed, at the top level
// and for every command.
func TestHelpGoesToStdoutWithStatus0(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"help", "run"},
		{"run", "--help"}, {"run", "-h"}, {"cases", "--help"}, {"reproduce", "-h"}, {"certgen", "--help"},
		{"diff", "--help"}, {"report", "--help"}, {"report", "merge", "--help"}, {"lint", "--help"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "usage: lwm2m-conform") || stderr != "" {
			t.Errorf("%v: exit %d, stdout %.60q, stderr %q; want 0, the usage on stdout, nothing on stderr", args, code, stdout, stderr)
		}
	}
	if _, stdout, _ := runCLI(t, "help", "run"); !strings.Contains(stdout, "-label-filter") || !strings.Contains(stdout, "-shard") {
		t.Errorf("help run does not list run's flags:\n%s", stdout)
	}
	if code, _, stderr := runCLI(t); code != 2 || !strings.HasPrefix(stderr, "usage: lwm2m-conform") {
		t.Errorf("no command: exit %d, stderr %q; want 2 and the usage on stderr", code, stderr)
	}
}

// A bad flag is one line naming the flag and the value, and exit status 2.
func TestFlagErrorsNameTheFlagAndTheValue(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--parallel", "0"}, `lwm2m-conform run: invalid value "0" for flag -parallel: must be at least 1`},
		{[]string{"run", "--parallel", "many"}, `lwm2m-conform run: invalid value "many" for flag -parallel: parse error`},
		{[]string{"reproduce", "x", "--parallel", "-2"}, `lwm2m-conform reproduce: invalid value "-2" for flag -parallel: must be at least 1`},
		{[]string{"run", "--case-timeout", "-1s"}, `lwm2m-conform run: invalid value "-1s" for flag -case-timeout: must not be negative`},
		{[]string{"run", "--shard", "4/3"}, `lwm2m-conform run: invalid value "4/3" for flag -shard: want i/n with 1 ≤ i ≤ n, e.g. 2/3`},
		{[]string{"run", "--label-filter", "sni &&"}, `lwm2m-conform run: invalid value "sni &&" for flag -label-filter: Unexpected EOF.`},
		{[]string{"cases", "--label", "sni||psk"}, `lwm2m-conform cases: invalid value "sni||psk" for flag -label: "sni||psk" is not a plain label (use --label-filter for expressions)`},
		{[]string{"diff", "--format", "xml", "a", "b"}, `lwm2m-conform diff: invalid value "xml" for flag -format: want "text" or "markdown"`},
		{[]string{"run", "--nope"}, `lwm2m-conform run: flag provided but not defined: -nope`},
		{[]string{"reproduce", "no/such/case"}, `lwm2m-conform reproduce: no case "no/such/case" (lwm2m-conform cases lists them)`},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || stderr != tc.want+"\n" {
			t.Errorf("%v: exit %d, stderr %q\nwant exit 2, %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A selection that selects nothing is an error everywhere.
func TestEmptySelectionIsAnError(t *testing.T) {
	const want = `no case matches the label filter "snii" (lwm2m-conform cases --labels lists the labels)`
	for _, args := range [][]string{{"cases"}, {"run", "--out", t.TempDir()}, {"reproduce", "--out", t.TempDir()}} {
		cmd := args[0]
		code, _, stderr := runCLI(t, append(args, "--label-filter", "snii")...)
		if code != 2 || stderr != "lwm2m-conform "+cmd+": "+want+"\n" {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}
