package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// formatDuration renders a duration for people: milliseconds below a
// second, seconds with millisecond precision below a minute, else Go's form.
func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + formatDuration(-d)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.3f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// expectLetter is the grid's one-letter form of the expectation.
func expectLetter(e string) string {
	switch e {
	case "accept":
		return "A"
	case "reject":
		return "R"
	case "":
		return "?"
	}
	return strings.ToUpper(e[:1])
}

// observedLetter is the grid's one-letter form of what the SUT did;
// "–" when nothing was observed (a skipped case).
func observedLetter(o verdict.Outcome) string {
	switch o {
	case verdict.Accepted:
		return "A"
	case verdict.Rejected:
		return "R"
	case verdict.Error:
		return "E"
	case verdict.Timeout:
		return "T"
	case verdict.Refused:
		return "P" // refused the provisioning: a rejection before any handshake
	case verdict.Crashed:
		return "C"
	case "":
		return "–"
	}
	return strings.ToUpper(string(o)[:1])
}

// observedText is the observation as tables show it, or "not run".
func observedText(o verdict.Observation) string {
	if o.Outcome == "" {
		return "not run"
	}
	return o.String()
}

// ansiEscape matches terminal control sequences (colours, cursor moves)
// that SUT logs often carry and that mean nothing in a report.
var ansiEscape = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])`)

// cleanText makes arbitrary SUT output printable: valid UTF-8, no terminal
// escapes, no control characters other than tab and newline.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ansiEscape.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '\uFFFD'
		}
		return r
	}, s)
}

// tail returns the cleaned end of s: at most maxLines lines and maxBytes
// bytes, and how many bytes of the cleaned text were cut off the front.
func tail(s string, maxLines, maxBytes int) (string, int) {
	s = strings.TrimRight(cleanText(s), "\n")
	cut := 0
	if len(s) > maxBytes {
		cut = len(s) - maxBytes
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
	}
	if maxLines > 0 {
		lines := 0
		for i := len(s) - 1; i >= cut; i-- {
			if s[i] == '\n' {
				lines++
				if lines == maxLines {
					cut = i + 1
					break
				}
			}
		}
	}
	return s[cut:], cut
}

// tailWithMarker is tail with a first line saying what was left out.
func tailWithMarker(s string, maxLines, maxBytes int) string {
	t, cut := tail(s, maxLines, maxBytes)
	if cut == 0 {
		return t
	}
	return fmt.Sprintf("[… %d earlier bytes omitted …]\n%s", cut, t)
}
