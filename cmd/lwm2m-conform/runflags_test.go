package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A second run into a report directory in use is refused, naming the
// holder; a lock file left by a dead process is taken over and removed.
func TestOutDirectoryLock(t *testing.T) {
	out := t.TempDir()
	release, err := lockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "run", "--label-filter", "ciphers", "--out", out)
	want := "lwm2m-conform run: " + out + " is in use by another lwm2m-conform run (pid " + strconv.Itoa(os.Getpid()) + ", " + filepath.Join(out, lockName) + "): wait for it to end or choose another directory\n"
	if code != 2 || stderr != want {
		t.Errorf("exit %d, stderr %q\nwant 2, %q", code, stderr, want)
	}
	release()

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true command:", err)
	}
	stale := filepath.Join(out, lockName)
	if err := os.WriteFile(stale, []byte(strconv.Itoa(dead.Process.Pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "run", "--label-filter", "ciphers", "--out", out); code != 0 {
		t.Errorf("run over a stale lock: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("lock file still there after the run: %v", err)
	}
}

// reproduce runs every id it is given, in order.
func TestReproduceRunsEveryCase(t *testing.T) {
	code, stdout, stderr := runCLI(t, "reproduce", "sni/san-dns-match/u0", "ciphers/psk-one", "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	first := strings.Index(stdout, "=== 1/2 ===\ncase     sni/san-dns-match/u0\n")
	second := strings.Index(stdout, "=== 2/2 ===\ncase     ciphers/psk-one\n")
	if first < 0 || second < first || !strings.HasSuffix(stdout, "\n2 cases reproduced, 0 failed\n") {
		t.Errorf("output:\n%s", stdout)
	}
}

// --html writes the HTML report and its evidence only there, linked
// relatively; --out keeps the other reports.
func TestHTMLDirectoryStandsAlone(t *testing.T) {
	out, html := t.TempDir(), t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--label-filter", "ciphers", "--out", out, "--html", html)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"junit.xml", "summary.md", "results.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("--out lacks %s", f)
		}
	}
	for _, f := range []string{"index.html", "cases", "evidence"} {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("--out holds %s too (%v)", f, err)
		}
		if _, err := os.Stat(filepath.Join(html, f)); err != nil {
			t.Errorf("--html lacks %s", f)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(html, "cases", "*.html"))
	if len(pages) != 6 {
		t.Fatalf("%d case pages, want 6", len(pages))
	}
	page := readText(t, pages[0])
	if !strings.Contains(page, `href="../evidence/ciphers/`) || strings.Contains(page, "file://") {
		t.Errorf("%s: evidence links are not relative to the page", pages[0])
	}
	if !strings.Contains(stdout, "HTML: "+filepath.Join(html, "index.html")) {
		t.Errorf("stdout does not say where the HTML report is:\n%s", stdout)
	}
}

// The legend of the progress marks comes before the first mark.
func TestProgressLegend(t *testing.T) {
	_, _, stderr := runCLI(t, "run", "--label-filter", "ciphers", "--out", t.TempDir())
	lines := strings.Split(stderr, "\n")
	if len(lines) < 3 || lines[1] != ". PASS  F FAIL  w WARN  i INFO  s SKIP  - NOT RUN" || !strings.HasSuffix(lines[2], " 6/6") {
		t.Errorf("stderr:\n%s", stderr)
	}
}
