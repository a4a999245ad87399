package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// interrupt is a run's context, cancelled by the first SIGINT or SIGTERM;
// that stops every SUT process. A second signal ends the process at once
// (the default action is back), for a run that does not stop by itself.
type interrupt struct {
	context.Context
	mu  sync.Mutex
	sig syscall.Signal
}

func onInterrupt() (*interrupt, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	in := &interrupt{Context: ctx}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			in.mu.Lock()
			in.sig = s.(syscall.Signal)
			in.mu.Unlock()
			cancel()
			sut.StopAll()
		case <-ctx.Done():
		}
	}()
	return in, func() { signal.Stop(ch); cancel(); sut.StopAll() }
}

// signal is the signal that interrupted the run, 0 if none did.
func (in *interrupt) signal() syscall.Signal {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

// name is "SIGINT" or "SIGTERM", as reports print it; "" if not interrupted.
func (in *interrupt) name() string {
	switch in.signal() {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return ""
}

// status is the shell's status for a death by that signal: 130 for
// SIGINT, 143 for SIGTERM.
func (in *interrupt) status() exitCode { return exitCode(128 + int(in.signal())) }
