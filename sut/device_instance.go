package sut

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// triggerTimeout bounds the Execute of the Bootstrap-Request Trigger.
const triggerTimeout = 5 * time.Second

// deviceInstance is one case on a device. To the case's state machine it
// looks like a client process started for the case: Done closes where a
// per-case client would have ended — its provisioning failed, it went back
// to bootstrap before the case was decided, or its process ended — and
// never because the case is over. Steer ends its part in the case.
type deviceInstance struct {
	d      *device
	ctx    context.Context
	caseID string
	writes []servers.BootstrapWrite
	red    *Redactor
	log    *events.Log // the case's timeline; nil without the runner
	tl     *events.Log // this case's device events, for Output

	outFile int
	outOff  int64

	mu        sync.Mutex
	served    bool // the device got the case's writes
	servedAt  int  // the Bootstrap-Request that got them
	steering  bool // the case is decided
	released  bool
	procEnded bool
	err       error
	done      chan struct{}
}

func newDeviceInstance(ctx context.Context, d *device, t Target, writes []servers.BootstrapWrite) *deviceInstance {
	i := &deviceInstance{d: d, ctx: ctx, caseID: t.CaseID, writes: writes, red: NewRedactor(t.Secrets()...),
		tl: events.NewLog(), done: make(chan struct{})}
	i.outFile, i.outOff = d.outputMark()
	i.servedAt = d.requestCount()
	return i
}

// note adds a device-mode Note to the case's timeline and to tl. Notes
// decide nothing in the case's state machine.
func note(log, tl *events.Log, what, format string, args ...any) {
	e := events.Event{Time: time.Now(), Kind: events.Note, Summary: "device mode: " + fmt.Sprintf(format, args...),
		Fields: map[string]string{"what": what}}
	for _, l := range []*events.Log{log, tl} {
		if l != nil {
			l.Add(e)
		}
	}
}

func (i *deviceInstance) note(what, format string, args ...any) {
	note(i.log, i.tl, what, format, args...)
}

// takeProvisioning marks the case's writes as handed to the device's
// Bootstrap-Request number n, unless they were already or the case is
// decided. Called with d.mu held.
func (i *deviceInstance) takeProvisioning(n int) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.served || i.steering {
		return false
	}
	i.served, i.servedAt = true, n
	return true
}

// onRequest follows a Bootstrap-Request during the case: the one that
// gets the provisioning, or one after it, by which the device left the
// case's server as a per-case client would have exited.
func (i *deviceInstance) onRequest(served bool) {
	i.mu.Lock()
	steering := i.steering
	i.mu.Unlock()
	switch {
	case served:
		i.note("device", "Bootstrap-Request from %s: provisioning the case", i.d.ep)
	case !steering:
		i.end(fmt.Errorf("device %s went back to bootstrap (a new Bootstrap-Request) during the case", i.d.ep))
	}
}

// serverEvent records a bootstrap server event; a failed provisioning ends
// the case as a failed bootstrap ends a per-case client.
func (i *deviceInstance) serverEvent(e events.Event) {
	i.tl.Add(e)
	if i.log != nil {
		fields := map[string]string{"what": "device_bootstrap"}
		for k, v := range e.Fields {
			fields["bootstrap_"+k] = v
		}
		i.log.Add(events.Event{Time: e.Time, Kind: events.Note, Summary: "bootstrap server: " + e.Summary, Fields: fields})
	}
	i.mu.Lock()
	live := i.served && !i.steering
	i.mu.Unlock()
	switch {
	case !live:
	case e.Kind == events.BootstrapDone && e.Fields["code"] != "2.04":
		i.end(fmt.Errorf("bootstrap failed: %s", e.Summary))
	case e.Kind == events.Note && e.Fields["what"] == "bootstrap_failed" && !strings.Contains(e.Fields["error"], errHeld.Error()):
		i.end(fmt.Errorf("bootstrap failed: %s", e.Fields["error"]))
	}
}

// processEnded follows the end of the device's own process.
func (i *deviceInstance) processEnded(err error) {
	i.mu.Lock()
	steering := i.steering
	if !steering {
		i.procEnded = true
	}
	i.mu.Unlock()
	if steering {
		return
	}
	if err == nil {
		err = fmt.Errorf("device %s: its process exited (exit status 0)", i.d.ep)
	}
	i.end(err)
}

// end closes Done with err, once, and only before the case is decided.
func (i *deviceInstance) end(err error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.steering || isClosed(i.done) {
		return
	}
	i.err = err
	close(i.done)
}

// Steer implements Steerable.
func (i *deviceInstance) Steer(ctx context.Context, registered bool, execute func(context.Context, lwm2m.Path) error) error {
	i.mu.Lock()
	if i.released {
		i.mu.Unlock()
		return nil
	}
	i.steering = true
	base := i.servedAt
	i.mu.Unlock()
	err := i.steer(ctx, base, registered, execute)
	i.mu.Lock()
	i.released = true
	i.mu.Unlock()
	if err != nil {
		// The lost device stays held: no case runs on it again.
		i.d.pool.stop(err)
		i.note("device_lost", "%v", err)
		return err
	}
	i.d.pool.release(i.d)
	return nil
}

func (i *deviceInstance) steer(ctx context.Context, base int, registered bool, execute func(context.Context, lwm2m.Path) error) error {
	d, o := i.d, i.d.pool.o
	if back, _ := d.requestsAfter(base); back {
		i.note("device_back", "%s is back at bootstrap (its own fallback)", d.ep)
		return nil
	}
	if registered {
		ectx, cancel := context.WithTimeout(ctx, triggerTimeout)
		err := execute(ectx, bootstrapTrigger)
		cancel()
		if err != nil {
			i.note("device_trigger", "Execute %v (Bootstrap-Request Trigger) on %s failed: %v", bootstrapTrigger, d.ep, err)
		} else {
			i.note("device_trigger", "Execute %v (Bootstrap-Request Trigger) on %s: 2.04", bootstrapTrigger, d.ep)
		}
	}
	start := time.Now()
	if i.awaitReturn(ctx, base, o.ReturnTimeout) {
		i.note("device_back", "%s is back at bootstrap after %s", d.ep, time.Since(start).Round(time.Millisecond))
		return nil
	}
	if ctx.Err() != nil {
		return nil // the run is ending: no verdict on the device
	}
	why := fmt.Sprintf("did not return to bootstrap within %s (return_timeout)", o.ReturnTimeout)
	if down, _ := d.processDown(); down {
		why = "has no process any more (it ended)"
	}
	if !o.HasReset() {
		return fmt.Errorf("device mode stopped: device %s %s after case %s, and the profile declares no device.reset command: the run stops, and every case not yet run fails with this message", d.ep, why, i.caseID)
	}
	i.note("device_reset", "%s %s: running the reset command", d.ep, why)
	base = d.requestCount()
	said, err := d.reset(ctx)
	if said != "" {
		i.note("device_reset", "reset command said: %s", i.red.String(said))
	}
	if err != nil {
		return fmt.Errorf("device mode stopped: device %s %s after case %s, and its reset failed: %v", d.ep, why, i.caseID, err)
	}
	start = time.Now()
	if i.awaitReturn(ctx, base, o.ReturnTimeout) {
		i.note("device_back", "%s is back at bootstrap %s after its reset", d.ep, time.Since(start).Round(time.Millisecond))
		return nil
	}
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("device mode stopped: device %s %s after case %s, nor within %s after its reset", d.ep, why, i.caseID, o.ReturnTimeout)
}

// awaitReturn waits up to limit for a Bootstrap-Request after the
// base-th; false also when the device's process ends meanwhile.
func (i *deviceInstance) awaitReturn(ctx context.Context, base int, limit time.Duration) bool {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		back, next := i.d.requestsAfter(base)
		if back {
			return true
		}
		down, end := i.d.processDown()
		if down {
			return false
		}
		select {
		case <-next:
		case <-end:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// ProcessEnded implements Steerable.
func (i *deviceInstance) ProcessEnded() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.procEnded
}

// Stop ends the instance without steering: a restart scenario (the run
// still going) resets the device and keeps it held for the case's next
// start; a stopped run just releases it.
func (i *deviceInstance) Stop() error {
	i.mu.Lock()
	if i.released {
		i.mu.Unlock()
		return nil
	}
	i.released, i.steering = true, true
	i.mu.Unlock()
	if i.ctx.Err() == nil && i.d.pool.o.HasReset() {
		i.note("device_reset", "the harness restarts the SUT: running the reset command of %s", i.d.ep)
		if said, err := i.d.reset(i.ctx); err != nil {
			i.note("device_reset", "reset failed: %v %s", err, i.red.String(said))
		}
		i.d.mu.Lock()
		i.d.cur = nil
		i.d.mu.Unlock()
		return nil
	}
	i.d.pool.release(i.d)
	return nil
}

func (i *deviceInstance) Done() <-chan struct{} { return i.done }

func (i *deviceInstance) Err() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if !isClosed(i.done) {
		return nil
	}
	return i.err
}

// Output is what the device printed during the case (when the harness
// started it) and the case's device-mode timeline.
func (i *deviceInstance) Output() string {
	var b strings.Builder
	if i.d.pool.o.start != nil {
		b.WriteString(i.red.String(i.d.outputSince(i.outFile, i.outOff)))
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "--- harness bootstrap server %s, device %s ---\n", i.d.pool.uri, i.d.ep)
	var t0 time.Time
	for n, e := range i.tl.Events() {
		if n == 0 {
			t0 = e.Time
		}
		fmt.Fprintf(&b, "+%8.1fms  %-17s %s\n", float64(e.Time.Sub(t0).Microseconds())/1000, e.Kind, i.red.String(e.Summary))
	}
	return b.String()
}

// Command is the device's start: command, or says who started it.
func (i *deviceInstance) Command() string {
	i.d.mu.Lock()
	defer i.d.mu.Unlock()
	if i.d.cmdLine != "" {
		return "device " + i.d.ep + ": " + i.d.cmdLine
	}
	return "device " + i.d.ep + " (started outside the harness; bootstrap server " + i.d.pool.uri + ")"
}

var _ Steerable = (*deviceInstance)(nil)
