package runner

import (
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// phase is where one case stands, from the SUT's side of the wire. The
// flow is idle → hello → flight → established → decided; a new ClientHello
// (a retried or resumed handshake) goes back to hello from anywhere.
type phase string

const (
	phaseIdle        phase = "idle"               // SUT started, nothing from it yet
	phaseHello       phase = "client-hello"       // ClientHello in, the server flight not yet out
	phaseFlight      phase = "server-flight-sent" // the server's flight is out: the SUT must answer
	phaseEstablished phase = "handshake-done"     // handshake done, no Register yet
	phaseDecided     phase = "decided"            // an outcome is known
)

// caseState is the one state of a running case. transition (transition.go)
// is the only code that changes it.
type caseState struct {
	cfg   stateConfig
	phase phase

	startAt  time.Time // the SUT was started
	helloAt  time.Time // first ClientHello of the current handshake
	flightAt time.Time // first server flight answering it
	lastSUT  time.Time // last time the SUT was heard from
	lastUp   time.Time // last record from the SUT (bursts are counted on these)
	lastAny  time.Time // last event of any kind (drain after exit)
	bursts   int       // SUT transmissions since the server flight (its retransmissions)
	// finishedAt is when the SUT first sent its encrypted final flight
	// (epoch ≥ 1 handshake records) in the current handshake.
	finishedAt time.Time
	spoke      bool // anything at all from the SUT (a nosec client's CoAP too)
	appData    bool // application data from the SUT (handshake-only SUTs)

	exit   *exitInfo // the process ended, not yet judged (draining)
	exitAt time.Time

	obs verdict.Observation
}

// stateConfig is what a case's state machine judges against: the SUT's
// declared timers and what counts as acceptance.
type stateConfig struct {
	timing timing
	// established: the machine starts after a Register (a scenario), so an
	// Update decides acceptance as a Register does.
	established bool
	// acceptOnAppData: a handshake-only SUT is accepted by its first
	// application data record after the handshake.
	acceptOnAppData bool
	// cleanFailure: a SUT still running without ever starting a handshake
	// has failed cleanly (an over-long key), rather than timed out.
	cleanFailure string
}

// exitInfo is how the SUT's process ended.
type exitInfo struct {
	status string // "exit status 1", "signal: killed"
	signal bool
	code   int
}

func (s *caseState) decided() bool { return s.phase == phaseDecided }

// decide ends the case with o, recording what decided it and when.
func (s *caseState) decide(at time.Time, by string, o verdict.Observation) {
	o.DecidedBy = by
	o.DecidedAt = at.Sub(s.startAt).Round(time.Millisecond)
	if s.exit != nil && o.Exit == "" {
		o.Exit = s.exit.status
	}
	s.obs, s.phase = o, phaseDecided
}

func newCaseState(cfg stateConfig, start time.Time) *caseState {
	s := &caseState{cfg: cfg, phase: phaseIdle, startAt: start, lastAny: start}
	if cfg.established {
		s.phase, s.spoke, s.helloAt = phaseEstablished, true, start
	}
	return s
}
