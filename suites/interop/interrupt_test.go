package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// runTagEnv marks a child run; its JVMs inherit it (process mode).
const runTagEnv = "LWM2M_CONFORM_INTEROP_RUN_TAG"

// The suite runs itself again in a child process, stops it once its
// Leshan peers are up — Ctrl-C (SIGINT to its process group, as a
// terminal sends it) and SIGKILL (no cleanup of its own at all) — and
// looks for what the child left: containers, networks and volumes
// labelled with its pid in container mode, JVMs carrying its tag in
// process mode.
var _ = Describe("An interrupted run", Label("interrupt"), func() {
	for sig, name := range map[syscall.Signal]string{syscall.SIGINT: "Ctrl-C", syscall.SIGKILL: "SIGKILL"} {
		It("leaves no Leshan peer behind: "+name, func() {
			out, pid, tag := interruptChild(sig)
			var left []string
			Eventually(func() []string {
				left = leftBehind(pid, tag)
				return left
			}).WithTimeout(60*time.Second).WithPolling(250*time.Millisecond).Should(BeEmpty(),
				"left behind by the run stopped with %s:\n%s", name, tail(out, 40))
			AddReportEntry("interrupted run", fmt.Sprintf("%s mode, pid %d, %s: nothing left", mode, pid, name))
		})
	}
})

// interruptChild runs the suite in a child until it has two peers up,
// then signals it and waits for it to exit.
func interruptChild(sig syscall.Signal) (output string, pid int, tag string) {
	GinkgoHelper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	tag = hex.EncodeToString(b)
	// -ginkgo.v streams the child's GinkgoWriter: "servers up" says its
	// BeforeSuite is done and the specs are running.
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterop$", "-ginkgo.v", "-ginkgo.label-filter=interop && !interrupt")
	cmd.Env = append(withoutEnv(os.Environ(), evidenceEnv), runTagEnv+"="+tag, "LWM2M_CONFORM_LESHAN_MODE="+string(mode))
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	Expect(cmd.Start()).To(Succeed())
	pid = cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	DeferCleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) })

	Eventually(out.String).WithTimeout(3 * time.Minute).WithPolling(100 * time.Millisecond).Should(ContainSubstring("servers up"))
	Expect(len(peersOf(pid, tag))).To(BeNumerically(">=", 2), "the child's Leshan peers:\n%s", out.String())
	Expect(syscall.Kill(-pid, sig)).To(Succeed())
	select {
	case <-exited:
	case <-time.After(2 * time.Minute):
		Fail("the interrupted run did not exit:\n" + tail(out.String(), 40))
	}
	return out.String(), pid, tag
}

// peersOf lists the child's running peers.
func peersOf(pid int, tag string) []string {
	if mode == leshan.ModeContainer {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		got, _ := leshan.Labelled(ctx, fmt.Sprintf("%s=%d", leshan.LabelPID, pid))
		var running []string
		for _, g := range got {
			if strings.Contains(g, "running") {
				running = append(running, g)
			}
		}
		return running
	}
	return taggedProcesses(tag)
}

// leftBehind is everything of the child still there.
func leftBehind(pid int, tag string) []string {
	if mode == leshan.ModeContainer {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		got, err := leshan.Labelled(ctx, fmt.Sprintf("%s=%d", leshan.LabelPID, pid))
		if err != nil {
			return []string{err.Error()}
		}
		return got
	}
	return taggedProcesses(tag)
}

// taggedProcesses lists the processes whose environment carries the tag.
func taggedProcesses(tag string) []string {
	want := []byte(runTagEnv + "=" + tag + "\x00")
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []string
	for _, d := range dirs {
		env, err := os.ReadFile(filepath.Join(d, "environ"))
		if err != nil || !bytes.Contains(env, want) {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join(d, "comm"))
		if name := strings.TrimSpace(string(comm)); name == "java" {
			out = append(out, fmt.Sprintf("%s %s", filepath.Base(d), name))
		}
	}
	return out
}

func withoutEnv(env []string, key string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, key+"=") {
			out = append(out, e)
		}
	}
	return out
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// syncBuffer is a bytes.Buffer safe for the child's two output streams.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
