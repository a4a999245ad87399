package leshan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// MavenImageEnv names the image container mode runs Maven in when this
// machine has no mvn; DefaultMavenImage when unset.
const MavenImageEnv = "LWM2M_CONFORM_MAVEN_IMAGE"

// DefaultMavenImage is Maven on a Java 17 JDK.
const DefaultMavenImage = "maven:3.9-eclipse-temurin-17"

// fetchForContainer is Fetch for container mode: on a machine without
// Maven (a laptop with only Docker), the same Maven command runs in a
// container on the cache's directories, and this machine then checks
// every jar against Maven Central's .sha1 exactly as Fetch does.
func fetchForContainer(ctx context.Context, cacheDir string, log io.Writer) (Jars, error) {
	jars, err := Fetch(ctx, cacheDir)
	if !errors.Is(err, ErrMavenMissing) {
		return jars, err
	}
	unlock, err := lockDir(cacheDir)
	if err != nil {
		return Jars{}, err
	}
	defer unlock()
	hash, err := sourceHash()
	if err != nil {
		return Jars{}, err
	}
	j := Jars{Dir: filepath.Join(cacheDir, "peers-"+hash)}
	m2 := filepath.Join(cacheDir, "m2")
	if _, err := os.Stat(j.Dir); err == nil && len(verifyBuild(j.Dir, m2)) == 0 {
		return j, nil // another process built it meanwhile
	}
	j.Built = true
	if err := os.MkdirAll(m2, 0o755); err != nil {
		return j, fmt.Errorf("leshan: %w", err)
	}
	work, err := os.MkdirTemp(cacheDir, "build-")
	if err != nil {
		return j, fmt.Errorf("leshan: %w", err)
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	if err := writeSources(src); err != nil {
		return j, fmt.Errorf("leshan: writing the peers' sources: %w", err)
	}
	t0 := time.Now()
	logPath := filepath.Join(cacheDir, "maven-"+hash+".log")
	if err := mavenInContainer(ctx, src, m2, logPath); err != nil {
		return j, err
	}
	stage := filepath.Join(work, "out")
	for _, module := range []string{"lwm2m", "bootstrap"} {
		if err := assembleModule(src, m2, stage, module); err != nil {
			return j, err
		}
	}
	if err := writeManifest(stage); err != nil {
		return j, fmt.Errorf("leshan: %w", err)
	}
	if err := os.RemoveAll(j.Dir); err != nil {
		return j, fmt.Errorf("leshan: %w", err)
	}
	if err := os.Rename(stage, j.Dir); err != nil {
		return j, fmt.Errorf("leshan: %w", err)
	}
	if problems := verifyBuild(j.Dir, m2); len(problems) > 0 {
		return j, fmt.Errorf("leshan: the build in a container does not verify: %w", problems[0])
	}
	fmt.Fprintf(log, "no mvn here: the peers were built by Maven in a container in %s (log: %s)\n", time.Since(t0).Round(time.Millisecond), logPath)
	return j, nil
}

// mavenInContainer runs Fetch's Maven command in a container with the
// sources and the local repository mounted, as this machine's user.
func mavenInContainer(ctx context.Context, src, m2, logPath string) error {
	if _, err := engineClient(ctx); err != nil {
		return err
	}
	image := os.Getenv(MavenImageEnv)
	if image == "" {
		image = DefaultMavenImage
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	defer logf.Close()
	done := make(chan struct{})
	cli := session.cli
	c, err := testcontainers.Run(ctx, image,
		testcontainers.WithLogger(logTo{logf}),
		testcontainers.WithLabels(sessionLabels("maven")),
		testcontainers.WithCmd("mvn", "-B", "-q", "-C", "-Dmaven.repo.local=/m2", "-f", "/src/pom.xml",
			"package", "dependency:copy-dependencies", "-Dmdep.useRepositoryLayout=true", "-DincludeScope=runtime"),
		testcontainers.WithEnv(map[string]string{"HOME": "/tmp", "MAVEN_OPTS": "-Xmx512m -Duser.home=/tmp"}),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.Binds = []string{src + ":/src", m2 + ":/m2"}
		}),
		testcontainers.WithConfigModifier(func(cfg *container.Config) {
			// The files it writes into the cache stay this user's.
			cfg.User = fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())
		}),
		testcontainers.WithAdditionalLifecycleHooks(testcontainers.ContainerLifecycleHooks{
			PostStarts: []testcontainers.ContainerHook{func(_ context.Context, c testcontainers.Container) error {
				return followLogs(cli, c.GetContainerID(), logf, done)
			}},
		}),
		testcontainers.WithWaitStrategy(wait.ForExit().WithExitTimeout(15*time.Minute)),
	)
	if c != nil {
		defer func() {
			rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = c.Terminate(rctx)
		}()
	}
	if err != nil {
		return fmt.Errorf("leshan: Maven in %s: %w", image, err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	st, err := c.State(ctx)
	if err != nil {
		return fmt.Errorf("leshan: Maven in %s: %w", image, err)
	}
	if st.ExitCode != 0 {
		b, _ := os.ReadFile(logPath)
		return fmt.Errorf("leshan: mvn package in %s failed (exit status %d):\n%s", image, st.ExitCode, tail(string(b), 40))
	}
	return nil
}
