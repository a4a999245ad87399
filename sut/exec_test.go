package sut

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/procgroup"
)

// startScript runs a shell script through an exec profile.
func startScript(t *testing.T, ctx context.Context, script string, tg Target) *process {
	t.Helper()
	p := mustLoad(t, "command: [sh, -c, "+strconv.Quote(script)+"]\n")
	inst, err := NewExec(p).Start(ctx, tg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { inst.Stop() })
	return inst.(*process)
}

func waitDone(t *testing.T, inst Instance, within time.Duration) {
	t.Helper()
	select {
	case <-inst.Done():
	case <-time.After(within):
		t.Fatalf("SUT not done within %s", within)
	}
}

// liveGroup lists the processes of process group pgid that are alive.
func liveGroup(t *testing.T, pgid int) []int {
	t.Helper()
	pids, ok := procgroup.Members(pgid)
	if !ok {
		t.Skip("no /proc")
	}
	return pids
}

// waitGroupSize polls until the group has at least n live members.
func waitGroupSize(t *testing.T, pgid, n int) []int {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		pids := liveGroup(t, pgid)
		if len(pids) >= n {
			return pids
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d has %d live members, want %d", pgid, len(pids), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestExecCapturesOutputAndExit(t *testing.T) {
	tg := Target{Endpoint: "ep-out", Usage: -1, Dir: t.TempDir()}
	p := mustLoad(t, `command: [sh, -c, "echo out {{.Endpoint}}; echo err >&2; exit 3"]`+"\n")
	inst, err := NewExec(p).Start(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, inst, 5*time.Second)
	if out := inst.Output(); out != "out ep-out\nerr\n" {
		t.Errorf("output = %q", out)
	}
	if err := inst.Err(); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Err = %v, want exit status 3", err)
	}
	logged, err := os.ReadFile(filepath.Join(tg.Dir, outputFile))
	if err != nil || string(logged) != "out ep-out\nerr\n" {
		t.Errorf("%s = %q, %v", outputFile, logged, err)
	}
	if inst.Command() != `sh -c 'echo out ep-out; echo err >&2; exit 3'` {
		t.Errorf("Command = %s", inst.Command())
	}
	if err := inst.Stop(); err != nil || inst.Err() == ErrStopped {
		t.Errorf("Stop after exit: %v; Err %v must keep the exit status", err, inst.Err())
	}
}

func TestExecCleanExit(t *testing.T) {
	inst := startScript(t, context.Background(), "exit 0", Target{Usage: -1})
	waitDone(t, inst, 5*time.Second)
	if inst.Err() != nil {
		t.Errorf("Err = %v", inst.Err())
	}
}

func TestExecStopKillsTheGroup(t *testing.T) {
	inst := startScript(t, context.Background(), "sleep 300 & sleep 300", Target{Usage: -1})
	pids := waitGroupSize(t, inst.Pid(), 3)
	if inst.Err() != nil {
		t.Fatalf("Err before done = %v", inst.Err())
	}
	start := time.Now()
	if err := inst.Stop(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("Stop of a 3-process group took %s", took)
	if took > time.Second {
		t.Errorf("Stop took %s", took)
	}
	if left := liveGroup(t, inst.Pid()); len(left) != 0 {
		t.Errorf("still alive after Stop: %v (group was %v)", left, pids)
	}
	if !errors.Is(inst.Err(), ErrStopped) {
		t.Errorf("Err = %v, want ErrStopped", inst.Err())
	}
	if err := inst.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// A SUT that ignores SIGTERM is killed after the grace period.
func TestExecStopEscalatesToSIGKILL(t *testing.T) {
	inst := startScript(t, context.Background(), "trap '' TERM; echo ready; while :; do sleep 0.05; done", Target{Usage: -1})
	waitFor(t, func() bool { return strings.Contains(inst.Output(), "ready") })
	start := time.Now()
	if err := inst.Stop(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("Stop of a SIGTERM-ignoring SUT took %s", took)
	if took < stopGrace || took > stopGrace+time.Second {
		t.Errorf("Stop took %s, want about %s", took, stopGrace)
	}
	if left := liveGroup(t, inst.Pid()); len(left) != 0 {
		t.Errorf("still alive: %v", left)
	}
}

// When the main process exits, what it left behind in its group goes too.
func TestExecExitKillsLeftovers(t *testing.T) {
	inst := startScript(t, context.Background(), "sleep 300 & echo started", Target{Usage: -1})
	waitDone(t, inst, 5*time.Second)
	if left := liveGroup(t, inst.Pid()); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if inst.Output() != "started\n" {
		t.Errorf("output = %q", inst.Output())
	}
}

func TestExecContextCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	inst := startScript(t, ctx, "sleep 300", Target{Usage: -1})
	cancel()
	waitDone(t, inst, 3*time.Second)
	if !errors.Is(inst.Err(), ErrStopped) {
		t.Errorf("Err = %v", inst.Err())
	}
}

func TestStopAll(t *testing.T) {
	a := startScript(t, context.Background(), "sleep 300 & sleep 300", Target{Usage: -1})
	b := startScript(t, context.Background(), "sleep 300", Target{Usage: -1})
	groupA := waitGroupSize(t, a.Pid(), 3)
	waitGroupSize(t, b.Pid(), 1)
	if err := StopAll(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range append(groupA, b.Pid()) {
		if alive(pid) {
			t.Errorf("pid %d alive after StopAll", pid)
		}
	}
	live.Lock()
	n := len(live.set)
	live.Unlock()
	if n != 0 {
		t.Errorf("%d instances still registered", n)
	}
}

func alive(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	s := string(stat)
	state := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
	return state != "Z" && state != "X"
}

func TestExecStartFailure(t *testing.T) {
	p := mustLoad(t, "command: [/nonexistent/sut-binary, --x]\n")
	inst, err := NewExec(p).Start(context.Background(), Target{Usage: -1, Dir: t.TempDir()})
	if err == nil {
		inst.Stop()
		t.Fatal("started a missing binary")
	}
	if !strings.Contains(err.Error(), "/nonexistent/sut-binary") {
		t.Errorf("error = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewExec(p).Start(ctx, Target{Usage: -1}); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a cancelled context: %v", err)
	}
}

func TestExecEnvAndWorkdir(t *testing.T) {
	dir := t.TempDir()
	p := mustLoad(t, `command: [sh, -c, 'echo "$SUT_EP $(pwd)"']
workdir: "{{.Dir}}/work"
env: {SUT_EP: "{{.Endpoint}}"}
`)
	if err := os.Mkdir(filepath.Join(dir, "work"), 0o755); err != nil {
		t.Fatal(err)
	}
	inst, err := NewExec(p).Start(context.Background(), Target{Endpoint: "ep-env", Usage: -1, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, inst, 5*time.Second)
	want := "ep-env " + filepath.Join(dir, "work") + "\n"
	if inst.Output() != want {
		t.Errorf("output = %q, want %q", inst.Output(), want)
	}
	if !strings.HasPrefix(inst.Command(), "SUT_EP=ep-env sh -c ") {
		t.Errorf("Command = %s", inst.Command())
	}
}

// A SUT printing 20 MB leaves its first and last 256 KiB, in memory and in
// sut-output.log, with the cut marked between them.
func TestExecOutputIsBounded(t *testing.T) {
	dir := t.TempDir()
	const printed = 20 << 20
	inst := startScript(t, context.Background(), "echo START; head -c "+strconv.Itoa(printed)+" /dev/zero | tr '\\0' x; echo; echo END", Target{Usage: -1, Dir: dir})
	waitDone(t, inst, 30*time.Second)
	file, err := os.ReadFile(filepath.Join(dir, outputFile))
	if err != nil {
		t.Fatal(err)
	}
	dropped := len("START\n") + printed + len("\nEND\n") - 2*outputKeep
	marker := "\n[... " + strconv.Itoa(dropped) + " bytes of output left out: the first and the last 256 KiB are kept ...]\n"
	for name, out := range map[string]string{"Output": inst.Output(), outputFile: string(file)} {
		head, tail, ok := strings.Cut(out, marker)
		if !ok || len(head) != outputKeep || len(tail) != outputKeep ||
			!strings.HasPrefix(head, "START\nxxx") || !strings.HasSuffix(tail, "xx\nEND\n") {
			t.Errorf("%s: %d bytes, head %q… tail …%q", name, len(out), out[:min(len(out), 20)], out[max(0, len(out)-20):])
		}
	}
}

// Output that fits is kept whole, and the log is complete while the SUT
// still runs.
func TestExecOutputThatFitsIsWhole(t *testing.T) {
	dir := t.TempDir()
	inst := startScript(t, context.Background(), "head -c 300000 /dev/zero | tr '\\0' x; echo; echo END; sleep 30", Target{Usage: -1, Dir: dir})
	want := strings.Repeat("x", 300000) + "\nEND\n"
	waitFor(t, func() bool { return inst.Output() == want })
	if file, _ := os.ReadFile(filepath.Join(dir, outputFile)); string(file) != want {
		t.Errorf("log of %d bytes while running, want %d", len(file), len(want))
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 3s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
