package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The cid cases run one at a time: cid/negotiated takes milliseconds,
// cid/rebind seconds. The signal comes right after the first progress
// mark, so cid/rebind is running and cid/rebind-without-cid never starts:
// one of three cases ran, two are NOT RUN, none FAILs.
func TestInterruptedRunReportsAndExitStatus(t *testing.T) {
	for _, tc := range []struct {
		sig    syscall.Signal
		name   string
		status int
	}{{syscall.SIGINT, "SIGINT", 130}, {syscall.SIGTERM, "SIGTERM", 143}} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(cliPath(t), "run", "--label", "cid", "--parallel", "1", "--out", out)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			rd := bufio.NewReader(stderr)
			var seen strings.Builder
			for !strings.Contains(seen.String(), legend()+"\n") || strings.HasSuffix(seen.String(), "\n") {
				b, err := rd.ReadByte()
				if err != nil {
					cmd.Process.Kill()
					t.Fatalf("stderr ended before the first progress mark: %q", seen.String())
				}
				seen.WriteByte(b)
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { rest, _ := rd.ReadString(0); seen.WriteString(rest); done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the run did not end within 20 s of the signal")
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.status {
				t.Errorf("exit %v, want status %d", err, tc.status)
			}

			line := "INTERRUPTED by " + tc.name + ": 1 of 3 cases ran; 2 not run (neither passed nor failed)"
			summary := readText(t, filepath.Join(out, "summary.md"))
			if !strings.HasPrefix(summary, "# lwm2m-conform: reference — INTERRUPTED\n\n- **⚠ "+line+"**\n") {
				t.Errorf("summary.md starts:\n%.300s", summary)
			}
			if html := readText(t, filepath.Join(out, "index.html")); !strings.Contains(html, `<p class="banner" id="interrupted">⚠ `+line+`</p>`) {
				t.Errorf("index.html lacks the INTERRUPTED banner")
			}
			var doc struct {
				Interrupted string
				Totals      map[string]int
				Results     []struct {
					Case    struct{ ID string }
					Verdict string
				}
			}
			if err := json.Unmarshal([]byte(readText(t, filepath.Join(out, "results.json"))), &doc); err != nil {
				t.Fatal(err)
			}
			verdicts := map[string]string{}
			for _, r := range doc.Results {
				verdicts[r.Case.ID] = r.Verdict
			}
			want := map[string]string{"cid/negotiated": "PASS", "cid/rebind": "NOT RUN", "cid/rebind-without-cid": "NOT RUN"}
			if doc.Interrupted != tc.name || doc.Totals["FAIL"] != 0 || !maps.Equal(verdicts, want) {
				t.Errorf("results.json: interrupted %q, totals %v, verdicts %v; want %s, no FAIL, %v", doc.Interrupted, doc.Totals, verdicts, tc.name, want)
			}
			if _, err := os.Stat(filepath.Join(out, lockName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("lock file left behind: %v", err)
			}
		})
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
