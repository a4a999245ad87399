package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// watch waits for the first event that decides the case. A Register decides
// acceptance; an alert from the SUT decides rejection at once; silence in
// the middle of a handshake decides rejection after the quiet period; the
// case timeout only ends cases that are truly stuck.
//
// Only events from index `from` on count: a scenario watches what follows
// its own action, and there an Update decides acceptance as a Register does.
func watch(ctx context.Context, log *events.Log, inst sut.Instance, from int, limit, quiet time.Duration) verdict.Observation {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	silence := time.NewTimer(quiet)
	defer silence.Stop()
	seen := 0
	for {
		changed := log.Changed()
		evs := log.Events()[from:]
		if o, done := classify(evs, from > 0); done {
			return o
		}
		if len(evs) != seen {
			seen = len(evs)
			silence.Reset(quiet)
		}
		select {
		case <-changed:
		case <-silence.C:
			if midHandshake(evs) {
				return verdict.Observation{Outcome: verdict.Rejected, Silent: true,
					Detail: fmt.Sprintf("no record from the SUT for %s after the server flight", quiet)}
			}
			silence.Reset(quiet)
		case <-inst.Done():
			// Let the peer drain what the SUT sent just before exiting.
			time.Sleep(20 * time.Millisecond)
			evs = log.Events()[from:]
			if o, done := classify(evs, from > 0); done {
				return o
			}
			if started(evs) {
				return verdict.Observation{Outcome: verdict.Rejected, Silent: true, Detail: exitDetail("SUT exited mid-handshake", inst)}
			}
			return verdict.Observation{Outcome: verdict.Error, Detail: exitDetail("SUT exited before starting a handshake", inst)}
		case <-deadline.C:
			if _, ok := first(evs, events.HandshakeDone); ok {
				return verdict.Observation{Outcome: verdict.Hang, Detail: fmt.Sprintf("handshake completed but no Register within %s", limit)}
			}
			if started(evs) {
				return verdict.Observation{Outcome: verdict.Hang, Detail: fmt.Sprintf("handshake neither finished nor aborted within %s", limit)}
			}
			return verdict.Observation{Outcome: verdict.Error, Detail: fmt.Sprintf("no ClientHello within %s", limit)}
		case <-ctx.Done():
			return verdict.Observation{Outcome: verdict.Error, Detail: "run cancelled: " + ctx.Err().Error()}
		}
	}
}

// classify decides from the events so far, if they decide.
func classify(evs []events.Event, updateCounts bool) (verdict.Observation, bool) {
	for _, e := range evs {
		switch e.Kind {
		case events.Update:
			if updateCounts {
				return verdict.Observation{Outcome: verdict.Accepted, Detail: "Update received: " + e.Summary}, true
			}
		case events.Register:
			o := verdict.Observation{Outcome: verdict.Accepted, Detail: "Register received"}
			if hd, ok := first(evs, events.HandshakeDone); ok {
				o.Detail = "handshake completed (" + hd.Summary + "), Register received"
			}
			return o, true
		case events.AlertReceived:
			name := "unknown"
			if e.Alert != nil {
				name = e.Alert.Name
			}
			return verdict.Observation{Outcome: verdict.Rejected, Alert: name, Detail: e.Summary}, true
		case events.HandshakeFail:
			// The server's handshake failed without an alert from the SUT:
			// the SUT gave up silently (or closed its socket).
			if _, alerted := first(evs, events.AlertReceived); !alerted && started(evs) {
				return verdict.Observation{Outcome: verdict.Rejected, Silent: true, Detail: e.Summary}, true
			}
		}
	}
	return verdict.Observation{}, false
}

// midHandshake reports a handshake begun (a ClientHello) and not finished:
// only there does silence mean the SUT gave up. After a completed
// handshake the SUT may be quiet for good reasons (backing off a request).
func midHandshake(evs []events.Event) bool {
	hello, done := -1, -1
	for i, e := range evs {
		switch e.Kind {
		case events.ClientHello:
			hello = i
		case events.HandshakeDone:
			done = i
		}
	}
	return hello > done
}

func started(evs []events.Event) bool {
	_, ok := first(evs, events.ClientHello)
	return ok
}

func first(evs []events.Event, k events.Kind) (events.Event, bool) {
	for _, e := range evs {
		if e.Kind == k {
			return e, true
		}
	}
	return events.Event{}, false
}

func exitDetail(what string, inst sut.Instance) string {
	if err := inst.Err(); err != nil {
		return what + ": " + err.Error()
	}
	return what
}
