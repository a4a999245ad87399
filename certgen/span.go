package certgen

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// span is a signed amount of calendar or clock time. Years and days are
// calendar steps (time.AddDate), so "10y" is ten calendar years whatever
// the leap days, which is how certificate profiles count them.
type span struct {
	years, days int
	clock       time.Duration
}

var spanRE = regexp.MustCompile(`^([+-]?)([0-9]{1,6})(y|d|h|m|s)$`)

// parseSpan reads "10y", "-30d", "+1h", "90m", "5s". signed says whether
// a leading sign is allowed (offsets) or not (lifetimes).
func parseSpan(s string, signed bool) (span, error) {
	m := spanRE.FindStringSubmatch(s)
	if m == nil || (!signed && m[1] != "") {
		form := `a number and a unit y, d, h, m or s, e.g. "10y", "3650d"`
		if signed {
			form = `a signed number and a unit y, d, h, m or s, e.g. "-30m", "+1h", "-2d"`
		}
		return span{}, fmt.Errorf("bad time span %q (want %s)", s, form)
	}
	n, _ := strconv.Atoi(m[2])
	if m[1] == "-" {
		n = -n
	}
	switch m[3] {
	case "y":
		return span{years: n}, nil
	case "d":
		return span{days: n}, nil
	case "h":
		return span{clock: time.Duration(n) * time.Hour}, nil
	case "m":
		return span{clock: time.Duration(n) * time.Minute}, nil
	}
	return span{clock: time.Duration(n) * time.Second}, nil
}

func (s span) from(t time.Time) time.Time { return t.AddDate(s.years, 0, s.days).Add(s.clock) }
