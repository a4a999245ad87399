package procgroup

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, script string, grace time.Duration) *Group {
	t.Helper()
	g, err := Start(exec.Command("sh", "-c", script), Options{Grace: grace})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Stop() })
	return g
}

func members(t *testing.T, pgid int) []int {
	t.Helper()
	pids, ok := Members(pgid)
	if !ok {
		t.Skip("no /proc")
	}
	return pids
}

// waitMembers polls until the group has at least n live members.
func waitMembers(t *testing.T, pgid, n int) []int {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		pids := members(t, pgid)
		if len(pids) >= n {
			return pids
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d has %d live members, want %d", pgid, len(pids), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitDone(t *testing.T, g *Group) {
	t.Helper()
	select {
	case <-g.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("group not done within 5s")
	}
}

func TestStopKillsTheGroup(t *testing.T) {
	g := start(t, "sleep 300 & sleep 300", time.Second)
	pids := waitMembers(t, g.Pid(), 3)
	if g.Err() != nil {
		t.Fatalf("Err before done = %v", g.Err())
	}
	begin := time.Now()
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took > time.Second {
		t.Errorf("Stop of a group that heeds SIGTERM took %s", took)
	}
	if left := members(t, g.Pid()); len(left) != 0 {
		t.Errorf("still alive after Stop: %v (group was %v)", left, pids)
	}
	if !g.Stopped() || g.Err() == nil {
		t.Errorf("Stopped = %v, Err = %v; want true and the signal", g.Stopped(), g.Err())
	}
	if err := g.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// A leader ignoring SIGTERM is killed after the grace period.
func TestStopEscalatesToSIGKILL(t *testing.T) {
	const grace = 200 * time.Millisecond
	ready := filepath.Join(t.TempDir(), "ready")
	g := start(t, "trap '' TERM; touch "+ready+"; while :; do sleep 0.05; done", grace)
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the trap was not set within 3s")
		}
	}
	begin := time.Now()
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took < grace || took > grace+time.Second {
		t.Errorf("Stop took %s, want about %s", took, grace)
	}
	if left := members(t, g.Pid()); len(left) != 0 {
		t.Errorf("still alive: %v", left)
	}
}

// When the leader exits, what it left behind in its group goes too, and
// its exit status is kept.
func TestExitKillsLeftovers(t *testing.T) {
	g := start(t, "sleep 300 & exit 3", time.Second)
	waitDone(t, g)
	if left := members(t, g.Pid()); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if g.Stopped() || g.Err() == nil || !strings.Contains(g.Err().Error(), "exit status 3") {
		t.Errorf("Stopped = %v, Err = %v; want false and exit status 3", g.Stopped(), g.Err())
	}
	if err := g.Stop(); err != nil || g.Stopped() {
		t.Errorf("Stop after exit: %v, Stopped = %v", err, g.Stopped())
	}
}

func TestStartFailure(t *testing.T) {
	if _, err := Start(exec.Command("/nonexistent/binary"), Options{}); err == nil {
		t.Fatal("started a missing binary")
	}
}
