package leshan

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
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
	p, err := testcontainers.NewDockerProvider()
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

// buildContext is the image's build context: the Dockerfile and the
// peers' embedded Maven project under java/, as `docker build -f
// docker/leshan.Dockerfile peers/leshan` sees them.
func buildContext(dockerfile []byte) (*bytes.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Unix(0, 0)}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := add("Dockerfile", dockerfile); err != nil {
		return nil, err
	}
	files, err := sourceFiles()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := javaSources.ReadFile("java/" + f)
		if err != nil {
			return nil, err
		}
		if err := add("java/"+f, b); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return bytes.NewReader(buf.Bytes()), nil
}

// containerPeer is a peer running in a container.
type containerPeer struct {
	c *testcontainers.DockerContainer
}

func (c *containerPeer) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.c.Terminate(ctx, testcontainers.StopTimeout(3*time.Second))
}

// logSink feeds container output into the peer's output log.
type logSink struct{ w io.Writer }

func (l logSink) Accept(g testcontainers.Log) { _, _ = l.w.Write(g.Content) }

func (inst *instance) startContainer(ctx context.Context, s launchSpec) error {
	dfPath, err := findDockerfile()
	if err != nil {
		return err
	}
	df, err := os.ReadFile(dfPath)
	if err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	bctx, err := buildContext(df)
	if err != nil {
		return fmt.Errorf("leshan: build context: %w", err)
	}
	hash, err := sourceHash()
	if err != nil {
		return err
	}
	l := layout{fileDir: containerFiles, host: "0.0.0.0", coap: containerCoAP, coaps: containerCoAPS, web: containerWeb}
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithDockerfile(testcontainers.FromDockerfile{
			ContextArchive: bctx,
			Dockerfile:     "Dockerfile",
			Repo:           "lwm2m-conform/leshan-peers",
			Tag:            hash,
			KeepImage:      true,
			BuildLogWriter: inst.out,
		}),
		testcontainers.WithCmd(append([]string{string(s.kind)}, s.args(l)...)...),
		testcontainers.WithLogConsumers(logSink{inst.out}),
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
	if s.readyPath != "" {
		opts = append(opts,
			testcontainers.WithExposedPorts(fmt.Sprintf("%d/udp", containerCoAP), fmt.Sprintf("%d/udp", containerCoAPS), fmt.Sprintf("%d/tcp", containerWeb)),
			testcontainers.WithWaitStrategy(wait.ForHTTP(s.readyPath).WithPort(fmt.Sprintf("%d/tcp", containerWeb)).WithStartupTimeout(s.timeout)))
	}
	start := time.Now()
	c, err := testcontainers.Run(ctx, "", opts...)
	if c != nil {
		inst.ctr = &containerPeer{c: c}
	}
	if err != nil {
		return fmt.Errorf("leshan: the %s container did not start: %w\n%s", s.kind, err, tail(inst.out.String(), 30))
	}
	if s.readyPath == "" {
		err := inst.awaitLine(ctx, s, make(chan struct{}), func() error { return nil })
		inst.startup = time.Since(start)
		return err
	}
	inst.startup = time.Since(start)
	if inst.host, err = c.Host(ctx); err != nil {
		return fmt.Errorf("leshan: container host: %w", err)
	}
	ports := map[string]*int{
		fmt.Sprintf("%d/udp", containerCoAP):  &inst.coap,
		fmt.Sprintf("%d/udp", containerCoAPS): &inst.coaps,
		fmt.Sprintf("%d/tcp", containerWeb):   &inst.web,
	}
	for p, dst := range ports {
		mp, err := c.MappedPort(ctx, p)
		if err != nil {
			return fmt.Errorf("leshan: container port %s: %w", p, err)
		}
		*dst = int(mp.Num())
	}
	if inst.web == 0 {
		return errors.New("leshan: container web port not mapped")
	}
	return nil
}
