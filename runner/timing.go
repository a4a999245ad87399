package runner

import (
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// timing is what the SUT declared about its own clocks, with the defaults
// of DTLS 1.2 where it declared nothing (RFC 6347 §4.2.4.1: 1 s initial
// timer, doubled at each retransmission, at most 60 s).
type timing struct {
	start     time.Duration // SUT start → first ClientHello
	handshake time.Duration // first ClientHello → handshake done
	total     time.Duration // the whole case
	flight    time.Duration // the SUT's initial retransmission timer
	backoff   float64       // factor applied at each retransmission
	maxFlight time.Duration // the timer's ceiling
	// drainQuiet/drainMax: after the SUT exits, how long the log must stay
	// quiet (and at most how long to wait) so that what it sent just
	// before exiting is seen before judging the exit.
	drainQuiet, drainMax time.Duration
}

// timing is the case's SUT's declared timers and the profile's bounds.
func (cr *caseRun) timing() timing { return timingFor(cr.caps, cr.timeouts(), cr.caseTimeout()) }

func timingFor(caps sut.Capabilities, t sut.Timeouts, caseBound time.Duration) timing {
	tm := timing{
		start: t.Start, handshake: t.Handshake, total: caseBound,
		flight: caps.FlightInterval, backoff: 2, maxFlight: 60 * time.Second,
		drainQuiet: 100 * time.Millisecond, drainMax: time.Second,
	}
	if tm.flight <= 0 {
		tm.flight = time.Second
	}
	if caps.FlightBackoff > 0 {
		tm.backoff = caps.FlightBackoff
	}
	if caps.MaxFlightInterval > 0 {
		tm.maxFlight = caps.MaxFlightInterval
	}
	if tm.start <= 0 {
		tm.start = sut.DefaultTimeouts.Start
	}
	if tm.handshake <= 0 {
		tm.handshake = sut.DefaultTimeouts.Handshake
	}
	if tm.total <= 0 {
		tm.total = sut.DefaultTimeouts.Case
	}
	return tm
}

// interval is the SUT's retransmission timer after n retransmissions.
func (t timing) interval(n int) time.Duration {
	d := float64(t.flight)
	for i := 0; i < n && time.Duration(d) < t.maxFlight; i++ {
		d *= t.backoff
	}
	return min(time.Duration(d), t.maxFlight)
}

// quiet is how long a SUT that has sent n transmissions since the server
// flight may stay silent before that silence means it gave up: its next
// retransmission timer twice over (a round trip on a slow path) and two
// seconds more, so that a slow client or a loaded machine (a CI runner
// with every core busy) is not mistaken for a silent one.
func (t timing) quiet(n int) time.Duration {
	return 2*t.interval(n) + quietMargin
}

// quietMargin is the slack silence allows beyond the SUT's own timers.
const quietMargin = 2 * time.Second
