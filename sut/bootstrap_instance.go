package sut

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// bootstrapInstance is a client started by the bootstrap adapter with the
// harness bootstrap server that provisions it.
type bootstrapInstance struct {
	proc *process
	bs   *servers.Bootstrap
	log  *events.Log

	done    chan struct{}
	mu      sync.Mutex
	bsError error // the bootstrap sequence failed; set before done closes
}

func newBootstrapInstance(proc *process, bs *servers.Bootstrap, log *events.Log) *bootstrapInstance {
	i := &bootstrapInstance{proc: proc, bs: bs, log: log, done: make(chan struct{})}
	go func() {
		if err := firstBootstrapFailure(log, proc.Done()); err != nil {
			// A client that could not be provisioned will not reach the
			// server: end the case now, saying why.
			i.mu.Lock()
			i.bsError = err
			i.mu.Unlock()
			proc.Stop()
		}
		<-proc.Done()
		bs.Close()
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
	var b strings.Builder
	b.WriteString(i.proc.Output())
	b.WriteString("\n--- harness bootstrap server ---\n")
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
