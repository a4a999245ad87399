package report

import (
	"context"
	"html"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// chromiumPath is where the Debian chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// screenshotEnv names a path to copy the screenshot to, for a person to
// look at.
const screenshotEnv = "LWM2M_REPORT_SCREENSHOT"

// TestHTMLRendersInChromium renders index.html in headless Chromium and
// checks the screenshot shows the matrix's PASS and FAIL colours.
func TestHTMLRendersInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (%v); install the Debian package chromium to run this check", err)
	}
	dir := t.TempDir()
	if err := WriteHTML(dir, gridRun()); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "screenshot.png")
	index := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "index.html"))}).String()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--window-size=1600,1200",
		"--screenshot="+shot, index)
	cmd.WaitDelay = 5 * time.Second // helper processes may keep the output pipe open
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if dst := os.Getenv(screenshotEnv); dst != "" {
		if b, err := os.ReadFile(shot); err == nil {
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				t.Logf("copying the screenshot: %v", err)
			}
		}
	}

	counts := colourCounts(img)
	if len(counts) < 10 {
		t.Fatalf("screenshot looks blank: %d distinct colours", len(counts))
	}
	for _, v := range []verdict.Verdict{verdict.Pass, verdict.Fail} {
		want := mustHex(t, verdictColor[v])
		// A grid cell is 60×22 px; demand twenty cells' worth, more than
		// the badges and the legend cover on their own.
		if n := countNear(counts, want, 6); n < 20*60*22 {
			t.Errorf("%s colour %s covers %d px of the screenshot, want a grid's worth", v, verdictColor[v], n)
		}
	}
}

type rgb struct{ r, g, b uint8 }

func colourCounts(img image.Image) map[rgb]int {
	counts := map[rgb]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[rgb{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	return counts
}

// countNear counts pixels within tol of want on every channel; colour
// management may shift a flat fill by a step or two.
func countNear(counts map[rgb]int, want rgb, tol int) int {
	n := 0
	for c, k := range counts {
		if near(c.r, want.r, tol) && near(c.g, want.g, tol) && near(c.b, want.b, tol) {
			n += k
		}
	}
	return n
}

func near(a, b uint8, tol int) bool {
	d := int(a) - int(b)
	return d >= -tol && d <= tol
}

func mustHex(t *testing.T, s string) rgb {
	t.Helper()
	if len(s) != 7 || s[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

// A report directory copied elsewhere (as CI publishes one) keeps working
// evidence links: Chromium renders the copied case page, and every
// evidence link on it resolves, relative to the copy, to a file there.
func TestCopiedReportKeepsEvidenceLinks(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (%v)", err)
	}
	orig := filepath.Join(t.TempDir(), "reports")
	run := checksRun()
	res := &run.Results[0]
	res.EvidenceDir = filepath.Join(orig, "evidence", filepath.FromSlash(res.Case.ID))
	if err := os.MkdirAll(res.EvidenceDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"events.json", "capture.pcapng", "sut-output.log"} {
		if err := os.WriteFile(filepath.Join(res.EvidenceDir, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteAll(orig, run); err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "published")
	if out, err := exec.Command("cp", "-r", orig, copied).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	if err := os.RemoveAll(orig); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(copied, casesDir, slug(res.Case.ID)+".html")
	pageURL := &url.URL{Scheme: "file", Path: filepath.ToSlash(page)}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", pageURL.String())
	cmd.WaitDelay = 5 * time.Second
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	links := 0
	for _, m := range hrefRE.FindAllStringSubmatch(string(dom), -1) {
		href := html.UnescapeString(m[1])
		if !strings.Contains(href, "evidence/") {
			continue
		}
		links++
		target, err := pageURL.Parse(href)
		if err != nil || target.Scheme != "file" {
			t.Errorf("evidence link %q does not resolve to a file beside the copy", href)
			continue
		}
		if _, err := os.Stat(target.Path); err != nil || !strings.HasPrefix(target.Path, copied) {
			t.Errorf("evidence link %q → %s: %v", href, target.Path, err)
		}
	}
	if links < 3 {
		t.Fatalf("%d evidence links on the copied page, want the 3 files:\n%s", links, dom)
	}
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)
