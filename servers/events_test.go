package servers

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// waitEvent blocks until an event of kind matching pred is in the log.
func waitEvent(t *testing.T, log *events.Log, kind events.Kind, timeout time.Duration, pred func(events.Event) bool) events.Event {
	t.Helper()
	deadline := time.After(timeout)
	for {
		changed := log.Changed()
		for _, e := range log.Events() {
			if e.Kind == kind && (pred == nil || pred(e)) {
				return e
			}
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no %s event within %v; timeline:\n%s", kind, timeout, timeline(log))
		}
	}
}

func eventsOf(log *events.Log, kind events.Kind) []events.Event {
	var out []events.Event
	for _, e := range log.Events() {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func timeline(log *events.Log) string {
	var b strings.Builder
	for _, e := range log.Events() {
		fmt.Fprintf(&b, "  %s %-16s %s %v\n", e.Time.Format("15:04:05.000"), e.Kind, e.Summary, e.Fields)
	}
	return b.String()
}

// checkNoLeak waits for the goroutine count to come back to base.
func checkNoLeak(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
