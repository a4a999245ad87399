package runner

import (
	"context"
	"errors"
	"os/exec"
	"syscall"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// watch feeds the case's state machine until it decides: every event from
// index `from` on, the SUT's exit, and its clocks. It returns as soon as
// the SUT has decided; no timer is waited out after that.
func watch(ctx context.Context, log *events.Log, inst sut.Instance, from int, cfg stateConfig, start time.Time) verdict.Observation {
	s := newCaseState(cfg, start)
	fed := from
	done := inst.Done()
	timer := time.NewTimer(time.Until(s.nextDeadline()))
	defer timer.Stop()
	for {
		changed := log.Changed()
		evs := log.Events()
		for ; fed < len(evs) && !s.decided(); fed++ {
			s.onEvent(evs[fed])
		}
		if !s.decided() {
			s.onTick(time.Now())
		}
		if s.decided() {
			return s.obs
		}
		timer.Reset(time.Until(s.nextDeadline()))
		select {
		case <-changed:
		case <-timer.C:
		case <-done:
			s.onExit(time.Now(), exitOf(inst.Err()))
			done = nil
		case <-ctx.Done():
			return verdict.Observation{Outcome: verdict.Error, Detail: "run cancelled: " + ctx.Err().Error(), DecidedBy: "cancel"}
		}
	}
}

// exitOf reads a process's end from the error an Instance reports.
func exitOf(err error) exitInfo {
	if err == nil {
		return exitInfo{status: "exit status 0"}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return exitInfo{status: "signal: " + ws.Signal().String(), signal: true, code: -1}
		}
		return exitInfo{status: ee.Error(), code: ee.ExitCode()}
	}
	var sig interface{ Signal() string }
	if errors.As(err, &sig) {
		return exitInfo{status: "signal: " + sig.Signal(), signal: true, code: -1}
	}
	// An in-process SUT ends with an error of its own: a failure status.
	return exitInfo{status: err.Error(), code: 1}
}
