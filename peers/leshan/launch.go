package leshan

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// launchSpec is what differs between the peers.
type launchSpec struct {
	kind     Kind
	mode     Mode
	cacheDir string
	dir      string            // working directory; "" = a fresh temporary one
	files    map[string][]byte // written into the working directory
	secret   map[string]bool   // files written mode 0600 (private keys)
	args     func(l layout) []string
	// readyPath is the REST path polled until it answers 200; "" for the
	// client, which is ready when it prints clientStartedLine.
	readyPath string
	timeout   time.Duration
	live      io.Writer
}

// layout is where a peer finds its files and which ports it binds, as the
// peer sees them (inside a container they differ from the host's).
type layout struct {
	fileDir          string
	host             string
	coap, coaps, web int
}

func (l layout) file(name string) string { return filepath.Join(l.fileDir, name) }

// instance is a started peer of either mode.
type instance struct {
	mode             Mode
	host             string // where this machine reaches the peer
	coap, coaps, web int    // host-side ports
	dir              string
	removeDir        bool
	out              *outputLog
	startup          time.Duration
	proc             *process
	ctr              *containerPeer

	stopOnce sync.Once
	stopErr  error
}

const defaultStartTimeout = 90 * time.Second

func launch(ctx context.Context, s launchSpec) (*instance, error) {
	mode, err := ResolveMode(ctx, s.mode)
	if err != nil {
		return nil, err
	}
	if s.timeout <= 0 {
		s.timeout = defaultStartTimeout
	}
	inst := &instance{mode: mode, dir: s.dir}
	if inst.dir == "" {
		if inst.dir, err = os.MkdirTemp("", "leshan-"+string(s.kind)+"-"); err != nil {
			return nil, fmt.Errorf("leshan: %w", err)
		}
		inst.removeDir = true
	} else if err := os.MkdirAll(inst.dir, 0o755); err != nil {
		return nil, fmt.Errorf("leshan: %w", err)
	}
	for name, data := range s.files {
		perm := os.FileMode(0o644)
		if s.secret[name] {
			perm = 0o600
		}
		if err := os.WriteFile(filepath.Join(inst.dir, name), data, perm); err != nil {
			inst.cleanup()
			return nil, fmt.Errorf("leshan: %w", err)
		}
	}
	if inst.out, err = newOutputLog(filepath.Join(inst.dir, "output.log"), s.live); err != nil {
		inst.cleanup()
		return nil, fmt.Errorf("leshan: %w", err)
	}
	if mode == ModeContainer {
		err = inst.startContainer(ctx, s)
	} else {
		err = inst.startProcess(ctx, s)
	}
	if err != nil {
		// A container may be running even though its start failed.
		_ = inst.stop()
		return nil, err
	}
	return inst, nil
}

// startProcess runs the peer as a JVM on loopback ports, retrying with
// new ports when one was taken in the meantime.
func (inst *instance) startProcess(ctx context.Context, s launchSpec) error {
	jars, err := Fetch(ctx, s.cacheDir)
	if err != nil {
		return err
	}
	inst.host = "127.0.0.1"
	for attempt := 1; ; attempt++ {
		l := layout{fileDir: inst.dir, host: inst.host}
		if s.readyPath != "" {
			udp, tcp, err := freePorts(inst.host, 2, 1)
			if err != nil {
				return err
			}
			l.coap, l.coaps, l.web = udp[0], udp[1], tcp[0]
		}
		inst.coap, inst.coaps, inst.web = l.coap, l.coaps, l.web
		mark := inst.out.Len()
		start := time.Now()
		p, err := startProcess(jars, s.kind, inst.dir, s.args(l), inst.out)
		if err != nil {
			return err
		}
		inst.proc = p
		err = inst.awaitReady(ctx, s, p.done(), p.exitError)
		if err == nil {
			inst.startup = time.Since(start)
			return nil
		}
		_ = p.stop()
		inst.proc = nil
		out := inst.out.Since(mark)
		if attempt < 3 && (strings.Contains(out, "BindException") || strings.Contains(out, "Address already in use")) {
			fmt.Fprintf(inst.out, "(a port was taken; starting again with other ports)\n")
			continue
		}
		return err
	}
}

// awaitReady polls the peer's REST API until it answers 200, the peer
// exits, or the start-up time runs out.
func (inst *instance) awaitReady(ctx context.Context, s launchSpec, exited <-chan struct{}, exitErr func() error) error {
	if s.readyPath == "" {
		return inst.awaitLine(ctx, s, exited, exitErr)
	}
	url := fmt.Sprintf("http://%s%s", hostPort(inst.host, inst.web), s.readyPath)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.NewTimer(s.timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("leshan: the %s peer exited during start-up: %v\n%s", s.kind, exitErr(), tail(inst.out.String(), 30))
		case <-deadline.C:
			return fmt.Errorf("leshan: the %s peer did not answer GET %s within %s\n%s", s.kind, url, s.timeout, tail(inst.out.String(), 30))
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// clientStartedLine is what the client peer prints once Leshan's client
// has started (after parsing its flags and loading its credentials).
const clientStartedLine = "client peer started"

// awaitLine waits for the client peer's start line, its exit, or the
// start-up timeout.
func (inst *instance) awaitLine(ctx context.Context, s launchSpec, exited <-chan struct{}, exitErr func() error) error {
	deadline := time.NewTimer(s.timeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(inst.out.String(), clientStartedLine) {
		select {
		case <-exited:
			return fmt.Errorf("leshan: the %s peer exited at start-up: %v\n%s", s.kind, exitErr(), tail(inst.out.String(), 30))
		case <-deadline.C:
			return fmt.Errorf("leshan: the %s peer did not start within %s\n%s", s.kind, s.timeout, tail(inst.out.String(), 30))
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// stop ends the peer and removes a temporary working directory; the
// output stays readable. Safe to call more than once.
func (inst *instance) stop() error {
	inst.stopOnce.Do(func() {
		switch {
		case inst.proc != nil:
			inst.stopErr = inst.proc.stop()
		case inst.ctr != nil:
			inst.stopErr = inst.ctr.stop()
		}
		inst.cleanup()
	})
	return inst.stopErr
}

func (inst *instance) cleanup() {
	if inst.out != nil {
		inst.out.close()
	}
	if inst.removeDir {
		_ = os.RemoveAll(inst.dir)
	}
}

// pid is the JVM's process id (0 in a container).
func (inst *instance) pid() int {
	if inst.proc != nil {
		return inst.proc.pid()
	}
	return 0
}

// exited reports whether the peer has ended by itself.
func (inst *instance) exited() error {
	switch {
	case inst.proc != nil:
		return inst.proc.exitError()
	case inst.ctr != nil:
		return inst.ctr.exitError()
	}
	return nil
}

func hostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		return fmt.Sprintf("[%s]:%d", host, port)
	}
	return fmt.Sprintf("%s:%d", host, port)
}
