package sut

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// bootstrapFailGrace is how long a client whose bootstrap failed keeps
// running before it is stopped.
const bootstrapFailGrace = 500 * time.Millisecond

// bootstrapLogFile is where the bootstrap server's timeline goes in the
// case directory.
const bootstrapLogFile = "bootstrap-server.log"

// bootstrapInstance is a client started by the bootstrap adapter with the
// harness bootstrap server that provisions it.
type bootstrapInstance struct {
	proc *process
	log  *events.Log

	done    chan struct{}
	mu      sync.Mutex
	bsError error // the bootstrap sequence failed; set before done closes
}

// newBootstrapInstance follows proc and closes bs once it has ended; with
// a case directory, the bootstrap server's timeline is written there.
func newBootstrapInstance(proc *process, bs *servers.Bootstrap, log *events.Log, dir string) *bootstrapInstance {
	i := &bootstrapInstance{proc: proc, log: log, done: make(chan struct{})}
	go func() {
		if err := firstBootstrapFailure(log, proc.Done()); err != nil {
			// A client that could not be provisioned will not reach the
			// server: end the case now, saying why. The grace lets it log
			// its own reason, which it often does after answering.
			i.mu.Lock()
			i.bsError = err
			i.mu.Unlock()
			select {
			case <-proc.Done():
			case <-time.After(bootstrapFailGrace):
			}
			proc.Stop()
		}
		<-proc.Done()
		bs.Close()
		if dir != "" {
			// Evidence only: the timeline is in Output too.
			_ = os.WriteFile(filepath.Join(dir, bootstrapLogFile), []byte(i.timeline()), 0o644)
		}
		close(i.done)
	}()
	return i
}

// firstBootstrapFailure waits until the client's first bootstrap finishes
// and returns its failure, or nil once one has succeeded or the client
// ended. A client that bootstraps under another endpoint name fails too.
func firstBootstrapFailure(log *events.Log, ended <-chan struct{}) error {
	for {
		changed := log.Changed()
		for _, e := range log.Events() {
			switch {
			case e.Kind == events.BootstrapDone && e.Fields["code"] == "2.04":
				return nil
			case e.Kind == events.BootstrapDone:
				return fmt.Errorf("bootstrap failed: %s", e.Summary)
			case e.Kind == events.Note && e.Fields["what"] == "bootstrap_failed":
				return fmt.Errorf("bootstrap failed: %s", e.Fields["error"])
			}
		}
		select {
		case <-changed:
		case <-ended:
			return nil
		}
	}
}

// stopWait bounds Stop waiting for the bootstrap server to close once the
// client is stopped.
const stopWait = 5 * time.Second

// Stop stops the client, then the bootstrap server.
func (i *bootstrapInstance) Stop() error {
	err := i.proc.Stop()
	select {
	case <-i.done:
	case <-time.After(stopWait):
		if err == nil {
			err = fmt.Errorf("harness bootstrap server did not close within %s", stopWait)
		}
	}
	return err
}

func (i *bootstrapInstance) Done() <-chan struct{} { return i.done }

// Err is how the client ended; a failed bootstrap takes precedence over
// the harness having stopped the client because of it.
func (i *bootstrapInstance) Err() error {
	select {
	case <-i.done:
	default:
		return nil
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.bsError != nil {
		return i.bsError
	}
	return i.proc.Err()
}

// Output is the client's output followed by the bootstrap server's
// timeline, so that a report shows what was provisioned.
func (i *bootstrapInstance) Output() string {
	return i.proc.Output() + "\n--- harness bootstrap server ---\n" + i.timeline()
}

// timeline is the bootstrap server's events, one line each.
func (i *bootstrapInstance) timeline() string {
	var b strings.Builder
	evs := i.log.Events()
	if len(evs) == 0 {
		b.WriteString("(no event)\n")
	}
	var t0 time.Time
	for n, e := range evs {
		if n == 0 {
			t0 = e.Time
		}
		fmt.Fprintf(&b, "+%8.1fms  %-14s %s\n", float64(e.Time.Sub(t0).Microseconds())/1000, e.Kind, e.Summary)
	}
	return b.String()
}

func (i *bootstrapInstance) Command() string { return i.proc.Command() }

// BootstrapEvents are the harness bootstrap server's events: how the
// client was provisioned (an est case judges its EST requests against
// this Bootstrap-Finish).
func (i *bootstrapInstance) BootstrapEvents() []events.Event { return i.log.Events() }
