package sut

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// resetTimeout bounds the profile's reset: command.
const resetTimeout = time.Minute

// deviceOutputKeep is how much of a device's output a case keeps: the
// end, where a failure is explained (as for a per-case client).
const deviceOutputKeep = 256 << 10

// device is one device of the pool: who holds it, its Bootstrap-Requests,
// and its process when the harness started it.
type device struct {
	pool *devicePool
	ep   string
	dir  string // the device's working directory ({{.Dir}})

	mu       sync.Mutex
	holder   string          // case id holding the device, "" when free
	log      *events.Log     // the holder's timeline
	cur      *deviceInstance // the holder's running instance
	pending  chan heldReply  // a Bootstrap-Request waiting for a case
	requests int             // Bootstrap-Requests so far
	back     chan struct{}   // closed at the next Bootstrap-Request

	proc    *process // the start: process; nil when the user started the device
	procEnd chan struct{}
	outputs []string // the start: process's output file, one per start
	cmdLine string   // the start: command, redacted
	starts  int
	// restart: a reset is under way, so the start: process ending (the
	// reset killed it) means starting it again; cleared by the device's
	// next Bootstrap-Request.
	restart bool
}

type heldReply struct {
	writes []servers.BootstrapWrite
	err    error
}

func newDevice(pool *devicePool, ep string) (*device, error) {
	dir, err := os.MkdirTemp("", "lwm2m-conform-device-")
	if err != nil {
		return nil, err
	}
	return &device{pool: pool, ep: ep, dir: dir, back: make(chan struct{}), procEnd: make(chan struct{})}, nil
}

// startProcess runs the profile's start: command for this device, in its
// own process group; its output goes to a file per start.
func (d *device) startProcess() error {
	c, err := d.pool.p.renderArgv(d.pool.o.start, d.ep, d.dir, d.pool.uri)
	if err != nil {
		return fmt.Errorf("device %s: start: %w", d.ep, err)
	}
	red := d.pool.redactor()
	d.mu.Lock()
	d.starts++
	out := filepath.Join(d.dir, fmt.Sprintf("device-output-%d.log", d.starts))
	d.mu.Unlock()
	proc, err := startProcess(context.Background(), c, out, true, red)
	if err != nil {
		return fmt.Errorf("device %s: %w", d.ep, err)
	}
	end := make(chan struct{})
	d.mu.Lock()
	d.proc, d.procEnd, d.cmdLine = proc, end, red.Command(c)
	d.outputs = append(d.outputs, out)
	d.mu.Unlock()
	go func() {
		<-proc.Done()
		d.mu.Lock()
		inst, again := d.cur, d.restart && !isClosed(d.pool.closed)
		d.restart = false
		d.mu.Unlock()
		// Started again before the end is signalled, so that whoever
		// waits on it finds the device running.
		if again {
			if err := d.startProcess(); err != nil && inst != nil {
				inst.note("device_reset", "starting %s again after its reset failed: %v", d.ep, err)
			}
		}
		close(end)
		if inst != nil && !again { // a reset's doing is no end of the device
			inst.processEnded(proc.Err())
		}
	}()
	return nil
}

// redactor hides the bootstrap account's PSK in what the devices print.
func (p *devicePool) redactor() *Redactor {
	if len(p.o.PSKKey) > 0 {
		return NewRedactor(Secret{Key: p.o.PSKKey, Note: "<redacted bootstrap PSK>"})
	}
	return NewRedactor()
}

func (d *device) stopProcess() error {
	d.mu.Lock()
	proc := d.proc
	d.mu.Unlock()
	if proc == nil {
		return nil
	}
	return proc.Stop()
}

// processDown reports whether the harness started the device and its
// process has ended, and a channel closed when it ends.
func (d *device) processDown() (bool, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.proc == nil {
		return false, nil
	}
	select {
	case <-d.procEnd:
		return true, d.procEnd
	default:
		return false, d.procEnd
	}
}

func (d *device) hold(caseID string, log *events.Log) {
	d.mu.Lock()
	d.holder, d.log = caseID, log
	d.mu.Unlock()
	note(log, nil, "device", "device %s holds the case", d.ep)
}

func (d *device) heldBy(caseID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.holder == caseID
}

func (d *device) unhold() {
	d.mu.Lock()
	d.holder, d.log, d.cur = "", nil, nil
	d.mu.Unlock()
}

// onRequest records a Bootstrap-Request. A running case not yet
// provisioned gets its writes at once; otherwise the request is held
// (held non-nil) for the next case.
func (d *device) onRequest() (writes []servers.BootstrapWrite, held chan heldReply) {
	d.mu.Lock()
	if d.pending != nil {
		d.pending <- heldReply{err: fmt.Errorf("%w: the device sent a new one", errHeld)}
		d.pending = nil
	}
	d.requests++
	d.restart = false
	close(d.back)
	d.back = make(chan struct{})
	inst := d.cur
	serve := inst != nil && inst.takeProvisioning(d.requests)
	if !serve {
		d.pending = make(chan heldReply, 1)
		held = d.pending
	}
	d.mu.Unlock()
	if inst != nil {
		inst.onRequest(serve)
	}
	if serve {
		return inst.writes, nil
	}
	return nil, held
}

// begin starts case t on the device: a held Bootstrap-Request gets the
// case's writes now, a later one when it comes.
func (d *device) begin(ctx context.Context, t Target, writes []servers.BootstrapWrite) *deviceInstance {
	i := newDeviceInstance(ctx, d, t, writes)
	d.mu.Lock()
	i.log = d.log
	d.cur = i
	held := d.pending
	d.pending = nil
	if held != nil {
		i.takeProvisioning(d.requests)
	}
	down := d.proc != nil && isClosed(d.procEnd)
	d.mu.Unlock()
	if held != nil {
		i.note("device", "the device's Bootstrap-Request, held since the last case, gets the case's provisioning")
		held <- heldReply{writes: writes}
	} else {
		i.note("device", "waiting for the device's Bootstrap-Request")
	}
	if down {
		i.processEnded(fmt.Errorf("device %s: its process had ended before the case", d.ep))
	}
	return i
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// requestsAfter reports whether the device sent a Bootstrap-Request after
// the n-th, and a channel closed at its next one.
func (d *device) requestsAfter(n int) (bool, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.requests > n, d.back
}

func (d *device) requestCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.requests
}

// serverEvent passes a bootstrap server event about this device to the
// case holding it.
func (d *device) serverEvent(e events.Event) {
	d.mu.Lock()
	inst := d.cur
	d.mu.Unlock()
	if inst != nil {
		inst.serverEvent(e)
	}
}

// reset runs the profile's reset: command for the device. A start:
// process that ends from then until the device's next Bootstrap-Request
// (the reset killed it) is started again.
func (d *device) reset(ctx context.Context) (string, error) {
	c, err := d.pool.p.renderArgv(d.pool.o.reset, d.ep, d.dir, d.pool.uri)
	if err != nil {
		return "", err
	}
	d.mu.Lock()
	d.restart = d.proc != nil
	d.mu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, resetTimeout)
	defer cancel()
	out := filepath.Join(d.dir, "reset.log")
	proc, err := startProcess(rctx, c, out, true, d.pool.redactor())
	if err != nil {
		return "", err
	}
	<-proc.Done()
	said := strings.TrimSpace(proc.Output())
	if err := proc.Err(); err != nil {
		return said, fmt.Errorf("reset command %s: %w", d.pool.redactor().Command(c), err)
	}
	// Ended before the reset (a crash), so not started again on its end.
	d.mu.Lock()
	again := d.restart && isClosed(d.procEnd)
	if again {
		d.restart = false
	}
	d.mu.Unlock()
	if again {
		return said, d.startProcess()
	}
	return said, nil
}

// outputMark is where the device's output stands now: the current output
// file and its size.
func (d *device) outputMark() (int, int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.outputs) == 0 {
		return 0, 0
	}
	n := len(d.outputs) - 1
	st, err := os.Stat(d.outputs[n])
	if err != nil {
		return n, 0
	}
	return n, st.Size()
}

// outputSince is what the device printed since mark, at most deviceOutputKeep
// bytes (the end).
func (d *device) outputSince(file int, off int64) string {
	d.mu.Lock()
	files := append([]string(nil), d.outputs...)
	d.mu.Unlock()
	var b strings.Builder
	for n := file; n < len(files); n++ {
		data, err := os.ReadFile(files[n])
		if err != nil {
			continue
		}
		if n == file && off <= int64(len(data)) {
			data = data[off:]
		}
		if n > file {
			fmt.Fprintf(&b, "--- device %s started again (reset) ---\n", d.ep)
		}
		b.Write(data)
	}
	s := b.String()
	if len(s) > deviceOutputKeep {
		s = fmt.Sprintf("[... %d earlier bytes dropped ...]\n", len(s)-deviceOutputKeep) + s[len(s)-deviceOutputKeep:]
	}
	return s
}
