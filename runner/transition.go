package runner

import (
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// burstGap separates two SUT transmissions: records closer than this are
// one flight, further apart a retransmission.
const burstGap = 50 * time.Millisecond

// onEvent is the transition for one recorded event.
func (s *caseState) onEvent(e events.Event) {
	if s.decided() {
		return
	}
	at := e.Time
	s.lastAny = at
	switch e.Kind {
	case events.ClientHello:
		s.sutSpoke(at)
		retransmitted := e.Fields["retransmission"] == "true"
		switch {
		case s.phase == phaseHello: // a retransmission, or the ClientHello with the cookie
		case s.phase == phaseFlight && retransmitted: // the SUT did not get the flight yet
		default: // a new handshake
			s.phase, s.helloAt, s.flightAt, s.finishedAt, s.bursts = phaseHello, at, time.Time{}, time.Time{}, 0
		}
	case events.Note:
		if e.Fields["what"] == "server_flight" && s.phase == phaseHello {
			s.phase, s.flightAt, s.bursts = phaseFlight, at, 0
		}
	case events.Record:
		s.onRecord(e)
	case events.AlertReceived:
		s.sutSpoke(at)
		s.decide(at, string(e.Kind), rejectedByAlert(e))
	case events.HandshakeDone:
		s.phase = phaseEstablished
		if s.appData {
			s.decide(at, "record", verdict.Observation{Outcome: verdict.Accepted, Detail: "handshake completed and the SUT sent application data"})
		}
	case events.HandshakeFail:
		// The harness server ended the handshake: it did not know the
		// SUT's identity, or could not verify its Finished. A failure by
		// the server's own timer decides nothing: the SUT's bounds do.
		if e.Fields["timeout"] != "true" && s.spoke {
			s.decide(at, "server", verdict.Observation{Outcome: verdict.Rejected, Silent: e.Fields["alert"] == "",
				Detail: "the harness server ended the handshake: " + e.Fields["error"]})
		}
	case events.Register:
		s.sutSpoke(at)
		s.decide(at, string(e.Kind), verdict.Observation{Outcome: verdict.Accepted, Detail: "Register received"})
	case events.Update:
		s.sutSpoke(at)
		if s.cfg.established {
			s.decide(at, string(e.Kind), verdict.Observation{Outcome: verdict.Accepted, Detail: "Update received: " + e.Summary})
		}
	case events.BootstrapReq, events.BootstrapDone, events.Request, events.Deregister:
		s.sutSpoke(at)
	}
}

// onRecord follows the SUT's records: they reset its silence, count its
// retransmissions, and a retransmitted final flight that the server never
// answered shows the server could not verify it.
func (s *caseState) onRecord(e events.Event) {
	if e.Fields["dir"] != "up" {
		return
	}
	at := e.Time
	prev := s.lastUp
	s.lastUp = at
	s.sutSpoke(at)
	if e.Fields["type"] == "alert" && e.Fields["epoch"] == "0" && e.Fields["observer"] != "server" {
		// An alert seen on the way (at the proxy, before any loss): the
		// SUT decided, even if the alert never reached the server. (The
		// server's own tap reports it as alert_received, with its name.)
		s.decide(at, "record", rejectedByAlert(e))
		return
	}
	if s.cfg.acceptOnAppData && e.Fields["type"] == "application_data" && e.Fields["epoch"] != "0" {
		// The record can be logged before the server's handshake_done
		// event: it counts once the handshake is known to be done.
		s.appData = true
		if s.phase == phaseEstablished {
			s.decide(at, "record", verdict.Observation{Outcome: verdict.Accepted, Detail: "handshake completed and the SUT sent application data"})
		}
		return
	}
	if s.phase != phaseFlight {
		return
	}
	if at.Sub(prev) > burstGap {
		s.bursts++
	}
	// Only records the server itself received show what it did with them.
	if e.Fields["type"] == "handshake" && e.Fields["epoch"] != "0" && e.Fields["observer"] == "server" {
		if s.finishedAt.IsZero() {
			s.finishedAt = at
		} else if at.Sub(s.finishedAt) >= s.cfg.timing.flight/2 {
			s.decide(at, "server", verdict.Observation{Outcome: verdict.Rejected, Silent: true,
				Detail: "the SUT retransmitted its Finished flight and the server never completed the handshake: the server could not verify it (the keys differ)"})
		}
	}
}

func (s *caseState) sutSpoke(at time.Time) {
	s.spoke = true
	if at.After(s.lastSUT) {
		s.lastSUT = at
	}
}

func rejectedByAlert(e events.Event) verdict.Observation {
	name := e.Fields["alert"]
	if e.Alert != nil {
		name = e.Alert.Name
	}
	if name == "" {
		name = "unknown"
	}
	return verdict.Observation{Outcome: verdict.Rejected, Alert: name, Detail: e.Summary}
}

// onExit records that the SUT's process ended. The exit is judged after
// a short drain, so that an alert or Register it sent just before is seen.
func (s *caseState) onExit(at time.Time, x exitInfo) {
	if s.decided() || s.exit != nil {
		return
	}
	s.exit, s.exitAt = &x, at
}

// judgeExit decides an exit once the drain is over.
func (s *caseState) judgeExit(at time.Time) {
	x := s.exit
	switch {
	case x.signal:
		s.decide(at, "exit", verdict.Observation{Outcome: verdict.Crashed,
			Detail: fmt.Sprintf("the SUT was killed by a signal (%s) in phase %s", x.status, s.phase)})
	case s.phase == phaseEstablished:
		s.decide(at, "exit", verdict.Observation{Outcome: verdict.Crashed,
			Detail: fmt.Sprintf("the SUT exited (%s) after the handshake completed, without registering", x.status)})
	case s.phase == phaseHello || s.phase == phaseFlight:
		s.decide(at, "exit", verdict.Observation{Outcome: verdict.Rejected, Silent: true,
			Detail: fmt.Sprintf("the SUT exited (%s) mid-handshake without an alert", x.status)})
	case x.code != 0:
		// A clean error exit before any handshake: the SUT refused its
		// provisioning. The runner counts it only if the SUT was shown
		// working in this run.
		s.decide(at, "exit", verdict.Observation{Outcome: verdict.Refused,
			Detail: fmt.Sprintf("the SUT exited (%s) before starting a handshake", x.status)})
	default:
		s.decide(at, "exit", verdict.Observation{Outcome: verdict.Error,
			Detail: fmt.Sprintf("the SUT exited (%s) without starting a handshake", x.status)})
	}
}

// onTick checks the clocks at time now.
func (s *caseState) onTick(now time.Time) {
	if s.decided() {
		return
	}
	if s.exit != nil {
		if !now.Before(s.drainEnd()) {
			s.judgeExit(now)
		}
		return
	}
	t := s.cfg.timing
	switch s.phase {
	case phaseIdle:
		if !now.Before(s.startAt.Add(t.start)) && !s.spoke {
			if s.cfg.cleanFailure != "" {
				s.decide(now, "start", verdict.Observation{Outcome: verdict.Refused, Detail: s.cfg.cleanFailure})
				return
			}
			s.decide(now, "start", verdict.Observation{Outcome: verdict.Timeout,
				Detail: fmt.Sprintf("no ClientHello within the profile's start bound %s; the SUT is still running", t.start)})
			return
		}
	case phaseFlight:
		from := s.flightAt
		if s.lastSUT.After(from) {
			from = s.lastSUT
		}
		if q := t.quiet(s.bursts); !now.Before(from.Add(q)) {
			what := "after the server flight"
			if !s.finishedAt.IsZero() {
				what = "after its Finished flight, which the server never answered"
			}
			s.decide(now, "silence", verdict.Observation{Outcome: verdict.Rejected, Silent: true,
				Detail: fmt.Sprintf("no record from the SUT for %s %s (its declared timer: %s, ×%g per retransmission)", q, what, t.flight, t.backoff)})
			return
		}
	}
	if (s.phase == phaseHello || s.phase == phaseFlight) && !now.Before(s.helloAt.Add(t.handshake)) {
		s.decide(now, "handshake", verdict.Observation{Outcome: verdict.Timeout,
			Detail: fmt.Sprintf("the handshake neither finished nor aborted within the profile's handshake bound %s", t.handshake)})
		return
	}
	if !now.Before(s.startAt.Add(t.total)) {
		what := "no ClientHello"
		switch s.phase {
		case phaseEstablished:
			what = "the handshake completed but no Register came"
		case phaseHello, phaseFlight:
			what = "the handshake neither finished nor aborted"
		}
		s.decide(now, "case", verdict.Observation{Outcome: verdict.Timeout,
			Detail: fmt.Sprintf("%s within the profile's case bound %s", what, t.total)})
	}
}

// drainEnd is when an exit may be judged: the log quiet for drainQuiet
// after the exit, and never later than drainMax.
func (s *caseState) drainEnd() time.Time {
	t := s.cfg.timing
	end := s.exitAt.Add(t.drainQuiet)
	if q := s.lastAny.Add(t.drainQuiet); q.After(end) {
		end = q
	}
	if m := s.exitAt.Add(t.drainMax); end.After(m) {
		end = m
	}
	return end
}

// nextDeadline is the earliest time at which onTick may decide.
func (s *caseState) nextDeadline() time.Time {
	t := s.cfg.timing
	if s.exit != nil {
		return s.drainEnd()
	}
	d := s.startAt.Add(t.total)
	earlier := func(x time.Time) {
		if x.Before(d) {
			d = x
		}
	}
	switch s.phase {
	case phaseIdle:
		if !s.spoke {
			earlier(s.startAt.Add(t.start))
		}
	case phaseFlight:
		from := s.flightAt
		if s.lastSUT.After(from) {
			from = s.lastSUT
		}
		earlier(from.Add(t.quiet(s.bursts)))
	}
	if s.phase == phaseHello || s.phase == phaseFlight {
		earlier(s.helloAt.Add(t.handshake))
	}
	return d
}
