package leshan

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// dockerfileRel is the peers' Dockerfile, relative to the repository root.
const dockerfileRel = "docker/leshan.Dockerfile"

// Container-side ports and file directory; the host ports are mapped.
const (
	containerCoAP  = 5683
	containerCoAPS = 5684
	containerWeb   = 8080
	containerFiles = "/peer"
)

// dockerHealthy asks testcontainers' Docker provider whether an engine
// answers.
func dockerHealthy(ctx context.Context) (err error) {
	ctx, cancel := context.WithTimeout(ctx, dockerProbeTimeout)
	defer cancel()
	defer func() {
		// The provider panics on some broken setups; that is "no engine".
		if r := recover(); r != nil {
			err = fmt.Errorf("docker provider: %v", r)
		}
	}()
	p, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(logTo{io.Discard}))
	if err != nil {
		return err
	}
	defer p.Close()
	return p.Health(ctx)
}

// findDockerfile walks up from the working directory to the repository
// holding docker/leshan.Dockerfile.
func findDockerfile() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, dockerfileRel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("leshan: container mode needs %s of the lwm2m-conform source tree (not found above the working directory)", dockerfileRel)
		}
		dir = parent
	}
}

// containerPeer is a peer running in a container.
type containerPeer struct {
	c        *testcontainers.DockerContainer
	cli      *client.Client
	logsDone chan struct{} // closed when the log stream ends (the container stopped)
	out      io.Writer
}

// stop stops the container (SIGTERM, SIGKILL after 3 s), waits for the
// rest of its log, records how it ended, and removes it.
func (c *containerPeer) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	grace := 3 * time.Second
	errStop := c.c.Stop(ctx, &grace)
	select {
	case <-c.logsDone:
	case <-time.After(5 * time.Second):
	}
	if st, err := c.c.State(ctx); err == nil {
		fmt.Fprintf(c.out, "[container %.12s: %s, exit status %d]\n", c.c.GetContainerID(), st.Status, st.ExitCode)
	}
	err := c.c.Terminate(ctx)
	if err != nil && errStop != nil {
		return fmt.Errorf("leshan: removing container %.12s: %w (stop: %v)", c.c.GetContainerID(), err, errStop)
	}
	return err
}

// exitError is non-nil once the container has stopped by itself.
func (c *containerPeer) exitError() error {
	select {
	case <-c.logsDone:
	default:
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.c.State(ctx)
	if err != nil {
		return fmt.Errorf("container state: %w", err)
	}
	if st.Running {
		return nil
	}
	return fmt.Errorf("container exited with status %d", st.ExitCode)
}

// followLogs copies the container's stdout and stderr, from its start, to
// w until the container stops; it closes done then.
func followLogs(cli *client.Client, id string, w io.Writer, done chan struct{}) error {
	rc, err := cli.ContainerLogs(context.Background(), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
	if err != nil {
		close(done)
		return fmt.Errorf("leshan: container log: %w", err)
	}
	go func() {
		defer close(done)
		defer rc.Close()
		_ = demux(rc, w)
	}()
	return nil
}

// demux strips the engine's 8-byte stream headers of a non-TTY log.
func demux(r io.Reader, w io.Writer) error {
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if _, err := io.CopyN(w, r, int64(binary.BigEndian.Uint32(hdr[4:]))); err != nil {
			return err
		}
	}
}

// loopbackEngine reports whether the engine runs on this machine (a unix
// socket or named pipe, or TCP on a loopback address): then ports are
// published on 127.0.0.1 only and client containers share this machine's
// network. testcontainers' own guess looks for /.dockerenv, which some
// machines carry without being inside the engine's containers.
func loopbackEngine(cli *client.Client) bool {
	u, err := url.Parse(cli.DaemonHost())
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "unix", "npipe":
		return true
	case "tcp", "http", "https":
		h := u.Hostname()
		ip := net.ParseIP(h)
		return h == "localhost" || (ip != nil && ip.IsLoopback())
	}
	return false
}

func (inst *instance) startContainer(ctx context.Context, s launchSpec) error {
	image, err := ensureImage(ctx, s.cacheDir, inst.out)
	if err != nil {
		return err
	}
	cli, err := engineClient(ctx)
	if err != nil {
		return err
	}
	local := loopbackEngine(cli)
	server := s.kind != KindClient
	l := layout{fileDir: containerFiles, host: "0.0.0.0", coap: containerCoAP, coaps: containerCoAPS, web: containerWeb}
	ctr := &containerPeer{cli: cli, logsDone: make(chan struct{}), out: inst.out}
	ports := []string{fmt.Sprintf("%d/udp", containerCoAP), fmt.Sprintf("%d/udp", containerCoAPS), fmt.Sprintf("%d/tcp", containerWeb)}
	args := append([]string{string(s.kind)}, s.args(l)...)
	fmt.Fprintf(inst.out, "$ docker run %s %s\n", image, strings.Join(args, " "))
	labels := sessionLabels(s.kind)
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(logTo{inst.out}),
		testcontainers.WithCmd(args...),
		testcontainers.WithLabels(labels),
		testcontainers.WithAdditionalLifecycleHooks(testcontainers.ContainerLifecycleHooks{
			PostStarts: []testcontainers.ContainerHook{func(_ context.Context, c testcontainers.Container) error {
				return followLogs(cli, c.GetContainerID(), inst.out, ctr.logsDone)
			}},
		}),
	}
	switch {
	case server:
		opts = append(opts, testcontainers.WithExposedPorts(ports...),
			testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
				if !local {
					return
				}
				// Nothing outside this machine reaches the peers.
				hc.PortBindings = network.PortMap{}
				for _, p := range ports {
					hc.PortBindings[network.MustParsePort(p)] = []network.PortBinding{{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "0"}}
				}
			}))
	case local:
		// A client reaches what this machine reaches, the same server
		// URIs as in process mode (127.0.0.1 included).
		opts = append(opts, testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.NetworkMode = "host"
		}))
	}
	for name, data := range s.files {
		mode := int64(0o644)
		if s.secret[name] {
			mode = 0o600
		}
		opts = append(opts, testcontainers.WithFiles(testcontainers.ContainerFile{
			Reader: bytes.NewReader(data), ContainerFilePath: l.file(name), FileMode: mode,
		}))
	}
	start := time.Now()
	c, err := testcontainers.Run(ctx, image, opts...)
	if c != nil {
		ctr.c = c
		inst.ctr = ctr
	}
	if err != nil {
		if c == nil {
			// The engine may have created it before the call failed.
			rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, _ = removeLabelled(rctx, cli, LabelInstance+"="+labels[LabelInstance])
			cancel()
		}
		return fmt.Errorf("leshan: the %s container did not start: %w\n%s", s.kind, err, tail(inst.out.String(), 30))
	}
	if server {
		if err := inst.mapPorts(ctx, c, ports, local); err != nil {
			return err
		}
	}
	err = inst.awaitReady(ctx, s, ctr.logsDone, ctr.exitError)
	inst.startup = time.Since(start)
	return err
}

// mapPorts finds where this machine reaches the server's ports.
func (inst *instance) mapPorts(ctx context.Context, c *testcontainers.DockerContainer, ports []string, local bool) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var err error
	if inst.host, err = c.Host(ctx); err != nil {
		return fmt.Errorf("leshan: container host: %w", err)
	}
	if local {
		inst.host = "127.0.0.1"
	}
	mapped := map[string]*int{ports[0]: &inst.coap, ports[1]: &inst.coaps, ports[2]: &inst.web}
	for p, dst := range mapped {
		mp, err := c.MappedPort(ctx, p)
		if err != nil {
			return fmt.Errorf("leshan: container port %s: %w", p, err)
		}
		*dst = int(mp.Num())
	}
	fmt.Fprintf(inst.out, "published on %s: CoAP %d/udp, CoAPS %d/udp, REST %d/tcp\n", inst.host, inst.coap, inst.coaps, inst.web)
	return nil
}

// logTo sends testcontainers' own messages to the peer's output.
type logTo struct{ w io.Writer }

func (l logTo) Printf(format string, v ...any) {
	fmt.Fprintf(l.w, "[testcontainers] "+format+"\n", v...)
}
