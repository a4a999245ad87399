package report

import (
	"strings"
	"testing"
	"time"
)

func TestCleanTextStripsTerminalNoise(t *testing.T) {
	in := "\x1b[1;31mERROR\x1b[0m bad\x00byte\r\nline2\rline3\t\xff end"
	want := "ERROR bad\uFFFDbyte\nline2\nline3\t\uFFFD end"
	if got := cleanText(in); got != want {
		t.Errorf("cleanText = %q, want %q", got, want)
	}
}

func TestTailKeepsTheEnd(t *testing.T) {
	s := strings.Repeat("x\n", 50) + "last\n"
	got, cut := tail(s, 3, 1<<20)
	if got != "x\nx\nlast" || cut == 0 {
		t.Errorf("tail by lines = %q cut %d", got, cut)
	}
	got, cut = tail("ééééé", 0, 5)
	if got != "éé" || cut != 6 {
		t.Errorf("tail by bytes = %q cut %d, want a whole rune boundary", got, cut)
	}
	if m := tailWithMarker(s, 2, 1<<20); !strings.HasPrefix(m, "[… 98 earlier bytes omitted …]\n") {
		t.Errorf("marker = %q", m)
	}
	if got, cut := tail("short", 10, 100); got != "short" || cut != 0 {
		t.Errorf("short input changed: %q %d", got, cut)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "0.0 ms",
		1500 * time.Microsecond: "1.5 ms",
		2500 * time.Millisecond: "2.500 s",
		83 * time.Second:        "1m23s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %s, want %s", d, got, want)
		}
	}
}

func TestPageNamesAreDistinctAndSafe(t *testing.T) {
	n := newPageNamer()
	seen := map[string]bool{}
	for _, id := range []string{"a/b", "a.b", "a/b", "A/B", "../../etc/passwd", "", strings.Repeat("x", 400)} {
		name := n.name(id)
		if seen[strings.ToLower(name)] {
			t.Errorf("name %s handed out twice", name)
		}
		seen[strings.ToLower(name)] = true
		if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || len(name) > 200 {
			t.Errorf("unsafe page name %q for id %q", name, id)
		}
	}
	if got := newPageNamer().name("certusage/u0/spk-root"); got != "certusage.u0.spk-root.html" {
		t.Errorf("readable name = %s", got)
	}
}
