package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// timelineRow is one event as the case page lists it.
type timelineRow struct {
	Offset  string // since the first event
	Kind    string
	Summary string
	Fields  string // key=value pairs, sorted by key
}

// firstEventTime is the earliest stamped event time; offsets count from it.
func firstEventTime(es []events.Event) time.Time {
	var first time.Time
	for _, e := range es {
		if !e.Time.IsZero() && (first.IsZero() || e.Time.Before(first)) {
			first = e.Time
		}
	}
	return first
}

// offset renders t relative to first, "—" for an unstamped event.
func offset(t, first time.Time) string {
	if t.IsZero() || first.IsZero() {
		return "—"
	}
	return "+" + formatDuration(t.Sub(first))
}

func timeline(es []events.Event) []timelineRow {
	first := firstEventTime(es)
	rows := make([]timelineRow, 0, len(es))
	for _, e := range es {
		rows = append(rows, timelineRow{
			Offset:  offset(e.Time, first),
			Kind:    string(e.Kind),
			Summary: cleanText(e.Summary),
			Fields:  formatFields(e.Fields),
		})
	}
	return rows
}

func formatFields(f map[string]string) string {
	parts := make([]string, 0, len(f))
	for _, k := range slices.Sorted(maps.Keys(f)) {
		parts = append(parts, cleanText(k)+"="+cleanText(f[k]))
	}
	return strings.Join(parts, " ")
}

// alertRow is one alert seen in either direction.
type alertRow struct {
	Offset    string
	Direction string // "from SUT" or "from harness"
	Level     string
	Name      string
	Code      string
}

func alerts(es []events.Event) []alertRow {
	first := firstEventTime(es)
	var rows []alertRow
	for _, e := range es {
		if e.Alert == nil || (e.Kind != events.AlertReceived && e.Kind != events.AlertSent) {
			continue
		}
		dir := "from SUT"
		if e.Kind == events.AlertSent {
			dir = "from harness"
		}
		rows = append(rows, alertRow{
			Offset:    offset(e.Time, first),
			Direction: dir,
			Level:     alertLevel(e.Alert.Level),
			Name:      cleanText(e.Alert.Name),
			Code:      fmt.Sprint(e.Alert.Description),
		})
	}
	return rows
}

func alertLevel(l uint8) string {
	switch l {
	case 1:
		return "warning"
	case 2:
		return "fatal"
	}
	return fmt.Sprintf("level %d", l)
}
