package leshan

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Labels on everything container mode starts: the session (one per
// process) and the process and host that own it, so that leftovers can be
// found and removed.
const (
	LabelSession = "org.lwm2m-conform.session"
	LabelPID     = "org.lwm2m-conform.pid"
	LabelHost    = "org.lwm2m-conform.host"
	LabelPeer    = "org.lwm2m-conform.peer"
	// LabelInstance tells the containers of one session apart.
	LabelInstance = "org.lwm2m-conform.instance"
)

// reaperEnv, set, makes this binary the reaper of that session (see init).
const reaperEnv = "LWM2M_CONFORM_LESHAN_REAPER"

func init() {
	if id := os.Getenv(reaperEnv); id != "" {
		os.Exit(reap(id))
	}
	// Ryuk, testcontainers' own reaper, is a container pulled from a
	// registry; the reaper process below does its job without one.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
}

// session is this process's container session.
var session struct {
	once   sync.Once
	id     string
	err    error
	cli    *client.Client
	reaper *os.File // write end of the reaper's stdin; closes when we exit
}

// engineClient is a Docker API client for the engine testcontainers uses.
func engineClient(ctx context.Context) (*client.Client, error) {
	if err := startSession(ctx); err != nil {
		return nil, err
	}
	return session.cli, nil
}

// startSession connects to the engine, removes what dead sessions of this
// host left behind, and starts the reaper: a copy of this binary in its
// own process group that waits for this process to end, however it ends
// (Ctrl-C twice, SIGKILL, a panic), and then removes the session's
// containers, networks and volumes.
func startSession(ctx context.Context) error {
	session.once.Do(func() {
		dc, err := testcontainers.NewDockerClientWithOpts(ctx)
		if err != nil {
			session.err = fmt.Errorf("leshan: Docker engine: %w", err)
			return
		}
		session.cli = dc.Client
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		session.id = hex.EncodeToString(b)
		sweepDeadSessions(ctx, session.cli)
		session.err = startReaper(session.id)
	})
	return session.err
}

// sessionLabels are the labels of one container of this session.
func sessionLabels(kind Kind) map[string]string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return map[string]string{
		LabelInstance: hex.EncodeToString(b),
		LabelSession:  session.id,
		LabelPID:      strconv.Itoa(os.Getpid()),
		LabelHost:     host,
		LabelPeer:     string(kind),
	}
}

func startReaper(id string) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("leshan: reaper: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("leshan: reaper: %w", err)
	}
	defer r.Close()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), reaperEnv+"="+id)
	cmd.Stdin = r
	// Its own process group: a terminal's Ctrl-C must not reach it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return fmt.Errorf("leshan: starting the reaper: %w", err)
	}
	go func() { _ = cmd.Wait() }()
	session.reaper = w
	return nil
}

// reap is the reaper's whole life: wait for the owner to exit (its end
// of our stdin closes), then remove the session's resources.
func reap(id string) int {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		reaperLog("session %s: no engine: %v", id, err)
		return 1
	}
	defer dc.Close()
	n, err := removeLabelled(ctx, dc.Client, LabelSession+"="+id)
	if err != nil {
		reaperLog("session %s: %v", id, err)
		return 1
	}
	if n > 0 {
		reaperLog("session %s: removed %d leftovers", id, n)
	}
	return 0
}

// reaperLog appends to a log in the cache: the reaper's stderr may be a
// pipe nobody reads any more.
func reaperLog(format string, args ...any) {
	dir, err := DefaultCacheDir()
	if err != nil || os.MkdirAll(dir, 0o755) != nil {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, "reaper.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s pid %d: %s\n", time.Now().Format(time.RFC3339), os.Getpid(), fmt.Sprintf(format, args...))
}

// sweepDeadSessions removes containers of this host whose owning process
// is gone (its reaper was killed too, e.g. with the whole machine's
// processes at the end of a CI run).
func sweepDeadSessions(ctx context.Context, cli *client.Client) {
	host, _ := os.Hostname()
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", LabelHost+"="+host)})
	if err != nil {
		return
	}
	dead := map[string]bool{}
	for _, c := range res.Items {
		pid, err := strconv.Atoi(c.Labels[LabelPID])
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		dead[c.Labels[LabelSession]] = true
	}
	for id := range dead {
		if n, err := removeLabelled(ctx, cli, LabelSession+"="+id); err == nil && n > 0 {
			reaperLog("session %s of a dead process: removed %d leftovers", id, n)
		}
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Labelled lists the containers, networks and volumes the engine holds
// with a label (key=value), e.g. LabelPID=1234: what a run left behind.
func Labelled(ctx context.Context, label string) ([]string, error) {
	cli, err := engineClient(ctx)
	if err != nil {
		return nil, err
	}
	f := make(client.Filters).Add("label", label)
	var out []string
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, err
	}
	for _, c := range cs.Items {
		out = append(out, fmt.Sprintf("container %.12s (%s, %s)", c.ID, c.Labels[LabelPeer], c.State))
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, err
	}
	for _, n := range ns.Items {
		out = append(out, "network "+n.Name)
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return nil, err
	}
	for _, v := range vs.Items {
		out = append(out, "volume "+v.Name)
	}
	return out, nil
}

// removeLabelled force-removes the containers, then the networks and
// volumes, carrying label (key=value); it returns how many it removed.
func removeLabelled(ctx context.Context, cli *client.Client, label string) (int, error) {
	f := make(client.Filters).Add("label", label)
	var errs []error
	n := 0
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	errs = append(errs, err)
	if err == nil {
		for _, c := range cs.Items {
			_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
			if err == nil {
				n++
			}
			errs = append(errs, err)
		}
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	errs = append(errs, err)
	if err == nil {
		for _, nw := range ns.Items {
			_, err := cli.NetworkRemove(ctx, nw.ID, client.NetworkRemoveOptions{})
			if err == nil {
				n++
			}
			errs = append(errs, err)
		}
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	errs = append(errs, err)
	if err == nil {
		for _, v := range vs.Items {
			_, err := cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true})
			if err == nil {
				n++
			}
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
