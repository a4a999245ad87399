// Package procgroup runs a command as the leader of its own process group
// and ends the whole group: SUT processes (sut) and the Leshan JVM peers
// (peers/leshan) both start this way, so that stopping one leaves nothing
// of it running.
//
// When the leader exits, the rest of its group is killed before the leader
// is reaped: the unreaped leader keeps the group id reserved, so the kill
// cannot reach an unrelated group that reused it.
package procgroup

import (
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

const (
	// goneWait bounds waiting for killed group members to die: SIGKILL is
	// delivered asynchronously, and "nothing left behind" must hold when
	// Stop returns.
	goneWait = time.Second
	// stopWait bounds Stop after SIGKILL; the kill makes it short unless
	// the kernel cannot deliver (a process stuck in uninterruptible sleep).
	stopWait = 5 * time.Second
)

// Options are how a group is started and stopped.
type Options struct {
	// Grace is the time between SIGTERM and SIGKILL in Stop.
	Grace time.Duration
	// KillWithParent has the kernel kill the leader when the harness dies
	// first (Linux only).
	KillWithParent bool
}

// Group is a started command and its process group.
type Group struct {
	cmd   *exec.Cmd
	grace time.Duration

	exited chan struct{} // the leader has exited (not yet reaped)
	done   chan struct{} // reaped, group gone
	err    error         // cmd.Wait's; read after done
	// leftover is set when members of the group outlived SIGKILL.
	leftover error

	mu       sync.Mutex // guards signalling against reaping
	reaped   bool
	stopped  bool
	stopOnce sync.Once
}

// Start starts cmd as the leader of a new process group.
func Start(cmd *exec.Cmd, o Options) (*Group, error) {
	cmd.SysProcAttr = sysProcAttr(o.KillWithParent)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	g := &Group{cmd: cmd, grace: o.Grace, exited: make(chan struct{}), done: make(chan struct{})}
	go g.wait()
	return g, nil
}

// wait follows the leader to its end, then kills what it left in the
// group, then reaps it.
func (g *Group) wait() {
	pid := g.cmd.Process.Pid
	var err error
	reaped := !awaitExit(pid)
	if reaped { // no way to wait without reaping here
		err = g.cmd.Wait()
	}
	close(g.exited)
	g.mu.Lock()
	syscall.Kill(-pid, syscall.SIGKILL) // the group is over when its leader is
	gone := waitGone(pid, goneWait)
	if !reaped {
		err = g.cmd.Wait()
	}
	g.reaped = true
	g.mu.Unlock()
	g.err = err
	if !gone {
		g.leftover = fmt.Errorf("process group %d still has live members %s after SIGKILL", pid, goneWait)
	}
	close(g.done)
}

// signal sends sig to the whole group unless the leader was reaped
// already.
func (g *Group) signal(sig syscall.Signal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.reaped {
		syscall.Kill(-g.cmd.Process.Pid, sig)
	}
}

// Stop ends the group: SIGTERM, then SIGKILL after the grace period, and
// waits until it is gone. It returns an error when members outlived
// SIGKILL. Safe to call more than once.
func (g *Group) Stop() error {
	g.stopOnce.Do(func() {
		select {
		case <-g.exited: // it ended by itself
		default:
			g.mu.Lock()
			g.stopped = true
			g.mu.Unlock()
		}
		g.signal(syscall.SIGTERM)
		select {
		case <-g.exited:
		case <-time.After(g.grace):
		}
		g.signal(syscall.SIGKILL)
	})
	select {
	case <-g.done:
		return g.leftover
	case <-time.After(stopWait):
		return fmt.Errorf("process %d did not exit %s after SIGKILL", g.Pid(), stopWait)
	}
}

// Pid is the leader's process id, which is the group id too.
func (g *Group) Pid() int { return g.cmd.Process.Pid }

// Done is closed when the leader is reaped and its group is gone.
func (g *Group) Done() <-chan struct{} { return g.done }

// Err is how the leader ended (exec.Cmd.Wait's error); nil before Done.
func (g *Group) Err() error {
	select {
	case <-g.done:
		return g.err
	default:
		return nil
	}
}

// Stopped reports whether Stop ended the group, rather than the leader
// exiting by itself first; meaningful after Done.
func (g *Group) Stopped() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stopped
}
