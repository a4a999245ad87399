package runner

import (
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// step is one input to the case state machine, at an offset from the start.
type step struct {
	at   time.Duration
	ev   *events.Event
	exit *exitInfo
}

func ev(at time.Duration, k events.Kind, fields ...string) step {
	e := events.Event{Kind: k, Fields: map[string]string{}}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Fields[fields[i]] = fields[i+1]
	}
	return step{at: at, ev: &e}
}

func up(at time.Duration, typ, epoch string) step {
	return ev(at, events.Record, "dir", "up", "type", typ, "epoch", epoch, "observer", "server")
}

// proxied is a record the impairment proxy saw (and perhaps dropped).
func proxied(at time.Duration, typ, epoch string) step {
	return ev(at, events.Record, "dir", "up", "type", typ, "epoch", epoch, "n", "1")
}

func down(at time.Duration) step {
	return ev(at, events.Record, "dir", "down", "type", "handshake", "epoch", "0")
}

func exited(at time.Duration, status string, code int, signal bool) step {
	return step{at: at, exit: &exitInfo{status: status, code: code, signal: signal}}
}

var (
	ms      = time.Millisecond
	sec     = time.Second
	hello   = func(at time.Duration) step { return ev(at, events.ClientHello) }
	rehello = func(at time.Duration) step {
		return ev(at, events.ClientHello, "retransmission", "true")
	}
	flight = func(at time.Duration) step { return ev(at, events.Note, "what", "server_flight") }
	done   = func(at time.Duration) step { return ev(at, events.HandshakeDone) }
	reg    = func(at time.Duration) step { return ev(at, events.Register) }
	alert  = func(at time.Duration) step { return ev(at, events.AlertReceived, "alert", "bad_certificate") }
)

// A Mbed TLS-like SUT: 1 s initial timer, doubled per retransmission;
// start 5 s, handshake 10 s, case 20 s.
var mbedTiming = timing{start: 5 * sec, handshake: 10 * sec, total: 20 * sec, flight: sec, backoff: 2,
	maxFlight: 60 * sec, drainQuiet: 100 * ms, drainMax: sec}

// The table of event sequences and the outcome each must give, with
// when it is decided. Each row is a behaviour a client nobody here wrote
// was seen to have.
func TestCaseStateMachine(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     stateConfig
		steps   []step
		outcome verdict.Outcome
		by      string
		at      time.Duration // when the outcome is decided
	}{
		{"registers", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), up(30*ms, "handshake", "1"), done(31 * ms), reg(40 * ms)},
			verdict.Accepted, "register", 40 * ms},
		{"alert after the server flight", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), alert(50 * ms)},
			verdict.Rejected, "alert_received", 50 * ms},
		// A crash is never a rejection: an exit after the handshake
		// completed, whatever its status, is a crash.
		{"exits after the handshake", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), done(40 * ms), exited(60*ms, "exit status 0", 0, false)},
			verdict.Crashed, "exit", 160 * ms},
		{"killed by a signal mid-handshake", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), exited(60*ms, "signal: killed", -1, true)},
			verdict.Crashed, "exit", 160 * ms},
		{"killed by a signal before any handshake", stateConfig{}, []step{exited(60*ms, "signal: segmentation fault", -1, true)},
			verdict.Crashed, "exit", 160 * ms},
		{"error exit mid-handshake gives up", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), exited(60*ms, "exit status 1", 1, false)},
			verdict.Rejected, "exit", 160 * ms},
		{"error exit before any handshake refuses", stateConfig{}, []step{exited(60*ms, "exit status 2", 2, false)},
			verdict.Refused, "exit", 160 * ms},
		{"clean exit without a handshake is an error", stateConfig{}, []step{exited(60*ms, "exit status 0", 0, false)},
			verdict.Error, "exit", 160 * ms},
		// The alert the SUT sent just before it exited still decides.
		{"alert in the drain after the exit", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), exited(60*ms, "exit status 1", 1, false), alert(90 * ms)},
			verdict.Rejected, "alert_received", 90 * ms},
		// An alert seen by the proxy but lost on the way still decides.
		{"alert lost after the proxy", stateConfig{}, []step{hello(10 * ms), flight(12 * ms), proxied(3*sec, "alert", "0")},
			verdict.Rejected, "record", 3 * sec},
		// Silence counts from the SUT's last record after the flight, with
		// its timer twice over and two seconds more: 1 s timer → 4 s.
		{"silent after the server flight", stateConfig{}, []step{hello(10 * ms), flight(12 * ms)},
			verdict.Rejected, "silence", 4012 * ms},
		// Retransmissions push silence out, and the timer doubles: after
		// one retransmission at 1 s, the next is due 2 s later → 6 s quiet.
		{"retransmitting client is not silent", stateConfig{}, []step{hello(0), flight(10 * ms), rehello(1 * sec), up(1*sec, "handshake", "0")},
			verdict.Rejected, "silence", 7 * sec},
		// A Finished the proxy dropped never reached the server: only its
		// retransmission did, and the server then completed.
		{"Finished lost on the way, then delivered", stateConfig{}, []step{hello(0), flight(10 * ms), proxied(50*ms, "handshake", "1"), proxied(250*ms, "handshake", "1"), up(250*ms, "handshake", "1"), done(260 * ms), reg(300 * ms)},
			verdict.Accepted, "register", 300 * ms},
		// The server's own retransmissions are not the SUT speaking.
		{"server retransmissions do not reset silence", stateConfig{}, []step{hello(0), flight(10 * ms), down(1 * sec), down(2 * sec)},
			verdict.Rejected, "silence", 4010 * ms},
		// A client whose records arrive late (1 s of latency each way) is
		// not judged silent before its answer arrives.
		{"slow path accepted", stateConfig{}, []step{hello(1 * sec), flight(1010 * ms), rehello(2 * sec), up(2*sec, "handshake", "0"), up(3*sec, "handshake", "1"), done(3010 * ms), reg(4 * sec)},
			verdict.Accepted, "register", 4 * sec},
		// The SUT's Finished came twice and the server never completed:
		// the server could not verify it (a different PSK).
		{"Finished retransmitted, server silent", stateConfig{}, []step{hello(0), flight(10 * ms), up(50*ms, "handshake", "1"), up(1050*ms, "handshake", "1")},
			verdict.Rejected, "server", 1050 * ms},
		{"server failure by its own timer decides nothing", stateConfig{timing: timing{start: 5 * sec, handshake: 2 * sec, total: 20 * sec, flight: sec, backoff: 2, maxFlight: 60 * sec}},
			[]step{hello(0), flight(10 * ms), rehello(900 * ms), up(900*ms, "handshake", "0"), ev(1500*ms, events.HandshakeFail, "timeout", "true", "error", "deadline")},
			verdict.Timeout, "handshake", 2 * sec},
		{"server ends the handshake (unknown identity)", stateConfig{}, []step{hello(0), ev(20*ms, events.HandshakeFail, "error", "unknown PSK identity")},
			verdict.Rejected, "server", 20 * ms},
		// Running out of time is its own outcome.
		{"never connects", stateConfig{}, nil, verdict.Timeout, "start", 5 * sec},
		{"never connects with an over-long key", stateConfig{cleanFailure: "no handshake attempted"}, nil, verdict.Refused, "start", 5 * sec},
		{"handshake done, no Register", stateConfig{}, []step{hello(0), flight(10 * ms), done(100 * ms)}, verdict.Timeout, "case", 20 * sec},
		{"scenario: Update decides", stateConfig{established: true}, []step{ev(2*sec, events.Update)}, verdict.Accepted, "update", 2 * sec},
		{"Update outside a scenario decides nothing", stateConfig{}, []step{ev(2*sec, events.Update)}, verdict.Timeout, "case", 20 * sec},
		{"handshake-only SUT: application data", stateConfig{acceptOnAppData: true}, []step{hello(0), flight(10 * ms), done(50 * ms), up(60*ms, "application_data", "1")},
			verdict.Accepted, "record", 60 * ms},
		// The server may log the record before its handshake_done event.
		{"handshake-only SUT: application data logged first", stateConfig{acceptOnAppData: true}, []step{hello(0), flight(10 * ms), up(50*ms, "application_data", "1"), done(51 * ms)},
			verdict.Accepted, "record", 51 * ms},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			if cfg.timing.flight == 0 {
				cfg.timing = mbedTiming
			}
			if cfg.timing.drainQuiet == 0 {
				cfg.timing.drainQuiet, cfg.timing.drainMax = 100*ms, sec
			}
			t0 := time.Unix(1000, 0)
			s := newCaseState(cfg, t0)
			for _, st := range tc.steps {
				// The clocks run up to each input, as in watch.
				for d := s.nextDeadline(); !s.decided() && !d.After(t0.Add(st.at)); d = s.nextDeadline() {
					s.onTick(d)
				}
				switch {
				case st.ev != nil:
					e := *st.ev
					e.Time = t0.Add(st.at)
					s.onEvent(e)
				case st.exit != nil:
					s.onExit(t0.Add(st.at), *st.exit)
				}
			}
			for i := 0; !s.decided() && i < 100; i++ {
				s.onTick(s.nextDeadline())
			}
			if !s.decided() {
				t.Fatalf("undecided in phase %s", s.phase)
			}
			if s.obs.Outcome != tc.outcome || s.obs.DecidedBy != tc.by || s.obs.DecidedAt != tc.at {
				t.Errorf("got %s by %s at %s (%s), want %s by %s at %s", s.obs.Outcome, s.obs.DecidedBy, s.obs.DecidedAt, s.obs.Detail, tc.outcome, tc.by, tc.at)
			}
		})
	}
}
