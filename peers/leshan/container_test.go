package leshan

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeJars is a build with one jar per module and one library each.
func fakeJars(t *testing.T) Jars {
	t.Helper()
	dir := t.TempDir()
	for _, rel := range []string{
		"lwm2m/leshan-peers-lwm2m-1.jar", "lwm2m/lib/org/eclipse/leshan/core/1/core-1.jar",
		"bootstrap/leshan-peers-bootstrap-1.jar", "bootstrap/lib/org/eclipse/leshan/bs/1/bs-1.jar",
	} {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeManifest(dir); err != nil {
		t.Fatal(err)
	}
	return Jars{Dir: dir}
}

func TestImageContextHoldsTheVerifiedJarsAndArgFiles(t *testing.T) {
	jars := fakeJars(t)
	ic, err := newImageContext([]byte("FROM x\n"), []byte("#!/bin/sh\n"), "jre:17", jars)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ic.tar(&buf); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	modes := map[string]int64{}
	tr := tar.NewReader(&buf)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name], modes[h.Name] = string(b), h.Mode
	}
	for _, want := range []string{"Dockerfile", "leshan-peer.sh", "peers/SHA1SUMS", "peers/server.args", "peers/bsserver.args", "peers/client.args",
		"peers/lwm2m/lib/org/eclipse/leshan/core/1/core-1.jar", "peers/bootstrap/leshan-peers-bootstrap-1.jar"} {
		if _, ok := files[want]; !ok {
			t.Errorf("context lacks %s", want)
		}
	}
	if modes["leshan-peer.sh"] != 0o755 {
		t.Errorf("launcher mode %o", modes["leshan-peer.sh"])
	}
	args := files["peers/bsserver.args"]
	for _, want := range []string{"-XX:+UseSerialGC\n", "-cp\n/opt/leshan-peers/bootstrap/leshan-peers-bootstrap-1.jar:/opt/leshan-peers/bootstrap/lib/org/eclipse/leshan/bs/1/bs-1.jar\n",
		"org.lwm2mconform.leshan.bootstrap.BootstrapServerPeer\n"} {
		if !strings.Contains(args, want) {
			t.Errorf("bsserver.args lacks %q:\n%s", want, args)
		}
	}
	if !strings.HasSuffix(files["peers/client.args"], "org.lwm2mconform.leshan.lwm2m.ClientPeer\n") {
		t.Errorf("client.args:\n%s", files["peers/client.args"])
	}
}

func TestImageHashFollowsTheContent(t *testing.T) {
	jars := fakeJars(t)
	hash := func(df, base string) string {
		ic, err := newImageContext([]byte(df), []byte("#!/bin/sh\n"), base, jars)
		if err != nil {
			t.Fatal(err)
		}
		return ic.hash
	}
	h := hash("FROM x\n", "jre:17")
	if h != hash("FROM x\n", "jre:17") {
		t.Error("the same content hashes differently")
	}
	if h == hash("FROM y\n", "jre:17") {
		t.Error("a Dockerfile change keeps the hash")
	}
	if h == hash("FROM x\n", "other-jre:17") {
		t.Error("another base image keeps the hash")
	}
	jar := filepath.Join(jars.Dir, "lwm2m/lib/org/eclipse/leshan/core/1/core-1.jar")
	if err := os.WriteFile(jar, []byte("other bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeManifest(jars.Dir); err != nil {
		t.Fatal(err)
	}
	if h == hash("FROM x\n", "jre:17") {
		t.Error("another jar keeps the hash")
	}
}

func TestDockerfileBuildsFromTheContextOnly(t *testing.T) {
	df, err := findDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(df)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"ARG BASE_IMAGE=" + DefaultBaseImage, "FROM ${BASE_IMAGE}", "COPY peers/ " + imageDir + "/", "5684/udp"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", df, want)
		}
	}
	// Nothing runs, so nothing is downloaded, during the build.
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "RUN ") {
			t.Errorf("%s runs %q at build time", df, line)
		}
	}
}

func TestDemuxStripsStreamHeaders(t *testing.T) {
	var in bytes.Buffer
	for i, s := range []string{"out line\n", "err line\n"} {
		hdr := make([]byte, 8)
		hdr[0] = byte(i + 1)
		binary.BigEndian.PutUint32(hdr[4:], uint32(len(s)))
		in.Write(hdr)
		in.WriteString(s)
	}
	var out bytes.Buffer
	if err := demux(&in, &out); err != nil || out.String() != "out line\nerr line\n" {
		t.Errorf("demux = %q, %v", out.String(), err)
	}
}

// requireContainerMode skips unless container mode was asked for; then a
// missing engine fails.
func requireContainerMode(t *testing.T) {
	t.Helper()
	if os.Getenv("LWM2M_CONFORM_LESHAN_MODE") != string(ModeContainer) {
		t.Skip("LWM2M_CONFORM_LESHAN_MODE=container not set")
	}
	if _, err := ResolveMode(context.Background(), ModeContainer); err != nil {
		t.Fatal(err)
	}
}

// labelled is Labelled for a test.
func labelled(t *testing.T, label string) []string {
	t.Helper()
	out, err := Labelled(testCtx(t, 30*time.Second), label)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestContainerServerAndClient runs both ends in containers: the server
// published on the host's loopback only, the client on the host's network
// reaching it at the same URI as in process mode.
func TestContainerServerAndClient(t *testing.T) {
	requireContainerMode(t)
	ctx := testCtx(t, 5*time.Minute)
	srv, err := StartServer(ctx, ServerOptions{Mode: ModeContainer, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	t.Logf("server container up in %s: %s", srv.StartupTime(), srv.WebURL())
	for _, line := range strings.Split(srv.Output(), "\n") {
		if strings.HasPrefix(line, "image ") {
			t.Log(line)
		}
	}
	if srv.Host() != "127.0.0.1" {
		t.Errorf("published on %s, want 127.0.0.1 only", srv.Host())
	}
	stream, err := srv.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := record(stream)
	const ep = "leshan-client-container"
	key := []byte{8, 7, 6, 5, 4, 3, 2, 1}
	if err := srv.AddPSK(ctx, ep, ep, key); err != nil {
		t.Fatal(err)
	}
	c, err := StartClient(ctx, ClientOptions{Mode: ModeContainer, Dir: t.TempDir(), Endpoint: ep, ServerURI: srv.CoapsURI(""), PSKIdentity: ep, PSKKey: key, Lifetime: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	events.wait(t, ctx, EventRegistration, ep)
	if got := labelled(t, LabelSession+"="+session.id); len(got) != 2 {
		t.Errorf("session resources %v, want the two containers", got)
	}
	if err := c.WaitOutput(ctx, "client: registered with"); err != nil {
		t.Error(err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	events.wait(t, ctx, EventDeregistration, ep)
	for _, out := range []string{srv.Output(), c.Output()} {
		for _, want := range []string{"$ docker run " + ImageRepo + ":", "image " + ImageRepo} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	}
	if !strings.Contains(c.Output(), "exit status") {
		t.Errorf("the client's evidence does not say how its container ended:\n%s", tail(c.Output(), 5))
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if left := labelled(t, LabelSession+"="+session.id); len(left) != 0 {
		t.Errorf("left after Stop: %v", left)
	}
}

// TestContainerReaperRemovesAKilledRunsContainers kills (SIGKILL, no
// cleanup of its own) a process holding a server container: its reaper
// must remove the container.
func TestContainerReaperRemovesAKilledRunsContainers(t *testing.T) {
	requireContainerMode(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldContainer$", "-test.v")
	cmd.Env = append(os.Environ(), "LESHAN_HELPER_HOLD=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	label := fmt.Sprintf("%s=%d", LabelPID, cmd.Process.Pid)
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "holding") {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the helper did not start its container:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got := labelled(t, label); len(got) != 1 {
		t.Errorf("the helper's resources: %v", got)
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()
	t0 := time.Now()
	for {
		left := labelled(t, label)
		if len(left) == 0 {
			t.Logf("the reaper removed the killed run's container in %s", time.Since(t0).Round(time.Millisecond))
			return
		}
		if time.Since(t0) > 60*time.Second {
			t.Fatalf("left behind by a killed run: %v", left)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestHelperHoldContainer starts a server container and waits to be killed.
func TestHelperHoldContainer(t *testing.T) {
	if os.Getenv("LESHAN_HELPER_HOLD") == "" {
		t.Skip("helper of TestContainerReaperRemovesAKilledRunsContainers")
	}
	ctx := testCtx(t, 5*time.Minute)
	if _, err := StartServer(ctx, ServerOptions{Mode: ModeContainer}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("holding")
	<-ctx.Done()
}

// TestContainerMavenWhereTheHostHasNone builds the peers with Maven in a
// container, as container mode does on a machine without mvn, and checks
// that this machine verified the same library jars as its own build.
func TestContainerMavenWhereTheHostHasNone(t *testing.T) {
	requireContainerMode(t)
	if _, err := exec.LookPath("mvn"); err != nil {
		t.Skip("no mvn here to compare with: container mode builds the peers in a container anyway")
	}
	ctx := testCtx(t, 10*time.Minute)
	host, err := Fetch(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	// The host's local repository: CI's containers reach no repository.
	src := filepath.Join(filepath.Dir(host.Dir), "m2")
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		return copyFile(p, filepath.Join(cache, "m2", rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	var log bytes.Buffer
	jars, err := fetchForContainer(ctx, cache, &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSpace(log.String()))
	if !jars.Built || !strings.Contains(log.String(), "built by Maven in a container") {
		t.Errorf("not built in a container: %+v, %q", jars, log.String())
	}
	libs := func(dir string) []string {
		entries, err := readManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			if _, ok := libRel(e.rel); ok {
				out = append(out, e.sum+" "+e.rel)
			}
		}
		return out
	}
	got, want := libs(jars.Dir), libs(host.Dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("libraries differ from the host's build:\n%v\nwant\n%v", got, want)
	}
	if _, err := Fetch(ctx, cache); err != nil {
		t.Errorf("Fetch does not take the container's build: %v", err)
	}
}
