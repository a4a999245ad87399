package sut

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/procgroup"
)

const (
	// stopGrace is how long a SUT gets between SIGTERM and SIGKILL: the
	// verdict is already known, so only a chance to flush logs.
	stopGrace = 200 * time.Millisecond
	// drainWait bounds reading the output after the SUT's group is gone;
	// a descendant that left the group may hold the pipe open for ever.
	drainWait = 200 * time.Millisecond
	// outputFile is where a SUT's whole output goes in the case directory.
	outputFile = "sut-output.log"
)

// ErrStopped is an Instance's Err after Stop ended it.
var ErrStopped = errors.New("stopped by the harness")

// Exec runs a client under test as a process described by a Profile.
type Exec struct{ p *Profile }

// NewExec returns the adapter that runs p's command for each case.
func NewExec(p *Profile) Adapter { return &Exec{p: p} }

func (e *Exec) Name() string               { return e.p.Name }
func (e *Exec) Capabilities() Capabilities { return e.p.Capabilities }
func (e *Exec) Baseline(caseID string) (Deviation, bool) {
	d, ok := e.p.Baseline[caseID]
	return d, ok
}

// Profile is the profile the adapter runs.
func (e *Exec) Profile() *Profile { return e.p }

// Timeouts are the profile's timeouts.
func (e *Exec) Timeouts() Timeouts { return e.p.Timeouts }

// Start renders the command for t, writes the files it names into t.Dir and
// starts it in its own process group. Cancelling ctx stops the process. A
// case setting a value the profile never passes is a *SkipError.
func (e *Exec) Start(ctx context.Context, t Target) (Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if why := e.p.neverPassed(t, allCarriers); why != "" {
		return nil, &SkipError{Reason: why}
	}
	c, err := e.p.Render(t)
	if err != nil {
		return nil, err
	}
	p, err := startProcess(ctx, c, filepath.Join(t.Dir, outputFile), t.Dir != "", NewRedactor(t.Secrets()...))
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

// process is one running SUT process and its process group.
type process struct {
	g    *procgroup.Group
	line string
	out  *outputBuffer

	done    chan struct{} // group gone, output drained
	err     error         // how it ended; read after done
	release func() bool   // detaches the context watch
}

// startProcess runs c; what it prints goes through red into memory and,
// with logToFile, to logPath, both bounded (outputBuffer).
func startProcess(ctx context.Context, c Command, logPath string, logToFile bool, red *Redactor) (*process, error) {
	var logFile *os.File
	if logToFile {
		f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, fmt.Errorf("SUT output log: %w", err)
		}
		logFile = f
	}
	out := newOutputBuffer(outputKeep, logFile)
	// The process writes into a pipe of our own rather than one exec.Cmd
	// makes: Cmd.Wait would otherwise wait for every descendant holding it.
	pr, pw, err := os.Pipe()
	if err != nil {
		closeFile(logFile)
		return nil, err
	}
	cmd := exec.Command(c.Args[0], c.Args[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdout, cmd.Stderr = pw, pw
	g, err := procgroup.Start(cmd, procgroup.Options{Grace: stopGrace})
	if err != nil {
		pr.Close()
		pw.Close()
		closeFile(logFile)
		return nil, fmt.Errorf("start %s: %w", c.Args[0], err)
	}
	pw.Close()
	p := &process{g: g, line: red.Command(c), out: out, done: make(chan struct{})}
	track(p)
	drained := make(chan struct{})
	go func() {
		rw := red.Writer(out)
		io.Copy(rw, pr)
		rw.Close()
		close(drained)
	}()
	p.release = context.AfterFunc(ctx, func() { p.Stop() })
	go p.wait(pr, drained)
	return p, nil
}

func closeFile(f *os.File) {
	if f != nil {
		f.Close()
	}
}

// wait follows the group to its end (a SUT is over when its main process
// is), then reads what is left of the output.
func (p *process) wait(pr *os.File, drained chan struct{}) {
	<-p.g.Done()
	select {
	case <-drained:
	case <-time.After(drainWait):
		pr.Close()
		<-drained
	}
	pr.Close()
	p.out.finish()
	switch err := p.g.Err(); {
	case p.g.Stopped():
		p.err = ErrStopped
	case err != nil:
		p.err = fmt.Errorf("SUT %w", err)
	}
	if p.release != nil {
		p.release()
	}
	untrack(p)
	close(p.done)
}

// Stop ends the process group: SIGTERM, then SIGKILL after a short grace.
func (p *process) Stop() error {
	err := p.g.Stop()
	select {
	case <-p.g.Done():
		<-p.done // the output drains within drainWait
	default:
	}
	if err != nil {
		return fmt.Errorf("SUT %w", err)
	}
	return nil
}

func (p *process) Done() <-chan struct{} { return p.done }

func (p *process) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

func (p *process) Output() string  { return p.out.String() }
func (p *process) Command() string { return p.line }

// Pid is the process id of the SUT (its process group id too).
func (p *process) Pid() int { return p.g.Pid() }
