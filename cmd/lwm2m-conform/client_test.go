package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
	coapnet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
)

// runClientCLI runs the client command and returns its exit status (0 for
// nil, 2 for an exitCode(2), 1 otherwise) and stderr.
func runClientCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stderr bytes.Buffer
	err := clientCommand(args, &stderr, &stderr) // help and errors together
	var ec exitCode
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ec):
		return int(ec), stderr.String()
	default:
		return 1, stderr.String() + err.Error()
	}
}

func TestClientCLIBadFlagIsOneLineExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--lifetime", "soon"},
		{"--no-such-flag"},
		{"--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "telepathy"},
		{"--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "psk", "--psk-identity", "i", "--psk-key", "zz"},
		{"--endpoint", "e", "--server", "coap://127.0.0.1:5683", "--log-level", "loud"},
		{"--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "psk", "--psk-identity", "i", "--psk-key", "00", "--ciphersuites", "0xC0A8,bogus"},
	} {
		code, out := runClientCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%q)", args, code, out)
		}
		if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "lwm2m-conform client: ") {
			t.Errorf("%v: output %q, want exactly one error line", args, out)
		}
	}
}

func TestClientCLIFlagNamedInError(t *testing.T) {
	_, out := runClientCLI(t, "--lifetime", "soon")
	if !strings.Contains(out, "-lifetime") {
		t.Errorf("%q does not name the flag", out)
	}
	_, out = runClientCLI(t, "--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "psk", "--psk-identity", "i", "--psk-key", "zz")
	if !strings.Contains(out, "--psk-key") {
		t.Errorf("%q does not name --psk-key", out)
	}
}

func TestClientCLIUnreadableKeyOrCertFile(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	missingKey := filepath.Join(dir, "missing-key.pem")
	base := []string{"--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "cert"}
	cases := []struct {
		args []string
		want string
	}{
		{append(base, "--cert", garbage, "--key", missingKey), "--cert " + garbage + ": "},
		{append(base, "--cert", filepath.Join(dir, "nope.der"), "--key", missingKey), "--cert " + filepath.Join(dir, "nope.der") + ": "},
		{append(base, "--cert", writeTestCert(t, dir), "--key", missingKey), "--key " + missingKey + ": open " + missingKey + ": no such file or directory"},
		{append(base, "--cert", writeTestCert(t, dir), "--key", garbage), "--key " + garbage + ": "},
		{[]string{"--endpoint", "e", "--server", "coaps://127.0.0.1:5684", "--mode", "psk", "--psk-identity", "i", "--psk-key", "00", "--truststore", filepath.Join(dir, "ts")}, "--truststore " + filepath.Join(dir, "ts") + ": "},
	}
	for _, tc := range cases {
		code, out := runClientCLI(t, tc.args...)
		if code != 2 || strings.Count(out, "\n") != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, output %q, want status 2 and one line containing %q", tc.args, code, out, tc.want)
		}
	}
}

func TestClientCLIConfigFileWithFlagOverride(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "client.yaml")
	yaml := "endpoint: from-yaml\nserver: coaps://example.test:5684\nmode: psk\npsk-identity: id\npsk-key: \"0011\"\nlifetime: 120s\ncid: true\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	s, err := parseClientSettings([]string{"--config", cfg, "--endpoint", "from-flag", "--lifetime", "60s"}, &stderr, &stderr)
	if err != nil {
		t.Fatalf("%v %s", err, stderr.String())
	}
	if s.Endpoint != "from-flag" || s.Lifetime != time.Minute || s.Server != "coaps://example.test:5684" || !s.CID || s.PSKKey != "0011" {
		t.Fatalf("settings %+v", s)
	}
	if err := os.WriteFile(cfg, []byte("endpiont: typo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := runClientCLI(t, "--config", cfg)
	if code != 2 || !strings.Contains(out, "--config "+cfg) || strings.Count(out, "\n") != 1 {
		t.Fatalf("misspelt YAML key: exit %d, %q", code, out)
	}
}

func TestClientCLIExitAfterRegister(t *testing.T) {
	got := make(chan string, 4)
	router := mux.NewRouter()
	router.DefaultHandle(mux.HandlerFunc(func(w mux.ResponseWriter, r *mux.Message) {
		p, _ := r.Options().Path()
		got <- r.Code().String() + " " + p
		switch r.Code() {
		case codes.POST:
			_ = w.SetResponse(codes.Created, message.TextPlain, nil, message.Option{ID: message.LocationPath, Value: []byte("rd")}, message.Option{ID: message.LocationPath, Value: []byte("c1")})
		case codes.DELETE:
			_ = w.SetResponse(codes.Deleted, message.TextPlain, nil)
		}
	}))
	pc, err := coapnet.NewListenUDP("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := udp.NewServer(options.WithMux(router))
	go func() { _ = s.Serve(pc) }()
	t.Cleanup(s.Stop)

	state := filepath.Join(t.TempDir(), "state.json")
	code, out := runClientCLI(t, "--endpoint", "cli-ep", "--server", "coap://"+pc.LocalAddr().String(), "--exit-after-register", "--state", state, "--log-level", "warn")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	if a, b := <-got, <-got; !strings.HasSuffix(a, "rd") || !strings.Contains(b, "DELETE") {
		t.Fatalf("server saw %q then %q, want Register then De-register", a, b)
	}
	fi, err := os.Stat(state)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", err, fi)
	}
}

// writeTestCert writes a self-signed certificate PEM and returns its path.
func writeTestCert(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "client.pem")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if err := os.WriteFile(p, selfSignedPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "cli test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestClientCLIUnknownFaultListsKnownOnes(t *testing.T) {
	code, out := runClientCLI(t, "--endpoint", "e", "--server", "coap://127.0.0.1:5683", "--fault", "slow,sloww")
	if code != 2 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `--fault: unknown fault "sloww"`) {
		t.Fatalf("exit %d, %q; want status 2 and one line naming the unknown fault", code, out)
	}
	for _, f := range client.KnownFaults() {
		if !strings.Contains(out, string(f.Name)) {
			t.Errorf("%q does not list %s", out, f.Name)
		}
	}
}

func TestClientCLIHelpListsFaults(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := clientCommand([]string{"--help"}, &out, &errOut); err != nil && !errors.Is(err, flag.ErrHelp) || errOut.Len() > 0 {
		t.Fatalf("--help: %v, stderr %q", err, errOut.String())
	}
	for _, f := range client.KnownFaults() {
		if !strings.Contains(out.String(), string(f.Name)) || !strings.Contains(out.String(), f.Meaning) {
			t.Errorf("--help does not list %s with its meaning", f.Name)
		}
	}
}

// --fault repeats and takes comma lists; on the command line it replaces
// the file's list; --insecure-accept-any-server is --fault accept-any.
func TestClientCLIFaultFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "client.yaml")
	if err := os.WriteFile(cfg, []byte("faults: [slow, no-cid]\nfault-delay: 50ms\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		want  string
		delay time.Duration
	}{
		{[]string{"--fault", "omit-sni", "--fault", "weak-suite,extra-suites"}, "omit-sni,weak-suite,extra-suites", client.DefaultFaultDelay},
		{[]string{"--insecure-accept-any-server"}, "accept-any", client.DefaultFaultDelay},
		{[]string{"--fault", "accept-any", "--insecure-accept-any-server"}, "accept-any", client.DefaultFaultDelay},
		{[]string{"--config", cfg}, "slow,no-cid", 50 * time.Millisecond},
		{[]string{"--config", cfg, "--fault", "omit-sni", "--fault-delay", "1s"}, "omit-sni", time.Second},
		{[]string{"--config", cfg, "--insecure-accept-any-server"}, "slow,no-cid,accept-any", 50 * time.Millisecond},
	}
	for _, tc := range cases {
		var stderr bytes.Buffer
		s, err := parseClientSettings(tc.args, &stderr, &stderr)
		if err != nil {
			t.Fatalf("%v: %v %s", tc.args, err, stderr.String())
		}
		if got := strings.Join(activeFaults(s), ","); got != tc.want || s.FaultDelay != tc.delay {
			t.Errorf("%v: faults %q, delay %s; want %q, %s", tc.args, got, s.FaultDelay, tc.want, tc.delay)
		}
	}
}

// buildCLI builds this command into a temporary directory, for the faults
// that end the process.
func buildCLI(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "lwm2m-conform")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestClientCLIFaultsEndingTheProcess runs the built binary against the
// harness server: crash-after-handshake dies by SIGKILL once the handshake
// is done and before any Register; exit-at-start exits 0 at once, having
// sent nothing. Both say so in a WARN line first.
func TestClientCLIFaultsEndingTheProcess(t *testing.T) {
	bin := buildCLI(t)
	psk := []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	run := func(t *testing.T, fault string) (*events.Log, string, time.Duration, error) {
		log := events.NewLog()
		srv, err := servers.StartLwM2M(t.Context(), servers.Config{
			DTLS:   &servers.DTLS{PSK: map[string][]byte{"ep": psk}, FlightInterval: 200 * time.Millisecond},
			Events: log,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "client", "--endpoint", "ep", "--server", fmt.Sprintf("coaps://127.0.0.1:%d", srv.Addr().Port),
			"--psk-identity", "ep", "--psk-key", hex.EncodeToString(psk), "--flight-interval", "200ms", "--fault", fault)
		cmd.Stderr = &stderr
		begin := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("the client did not end within 10 s:\n%s", stderr.String())
		}
		took := time.Since(begin)
		time.Sleep(100 * time.Millisecond) // let the last datagrams reach the log
		if !strings.Contains(stderr.String(), "level=WARN msg=\"DELIBERATELY BROKEN CLIENT") || !strings.Contains(stderr.String(), "faults="+fault) {
			t.Errorf("no WARN line naming %s:\n%s", fault, stderr.String())
		}
		return log, stderr.String(), took, err
	}

	t.Run("crash-after-handshake", func(t *testing.T) {
		log, out, _, err := run(t, "crash-after-handshake")
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("exit: %v, want death by signal\n%s", err, out)
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("exit %v, want killed by SIGKILL\n%s", err, out)
		}
		if _, ok := log.First(events.HandshakeDone); !ok {
			t.Error("the server never completed a handshake")
		}
		if e, ok := log.First(events.Register); ok {
			t.Errorf("the server got a Register: %s", e.Summary)
		}
	})
	t.Run("exit-at-start", func(t *testing.T) {
		log, out, took, err := run(t, "exit-at-start")
		if err != nil {
			t.Fatalf("exit: %v, want status 0\n%s", err, out)
		}
		if took > 3*time.Second {
			t.Errorf("took %s to exit", took)
		}
		for _, e := range log.Events() {
			if e.Kind != events.Note {
				t.Errorf("the server saw %s (%s), want no datagram", e.Kind, e.Summary)
			}
		}
	})
}
