package sut

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// harnessBinary is a built lwm2m-conform: $LWM2M_CONFORM_BIN, else built
// into a temporary directory from ../cmd/lwm2m-conform.
func harnessBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(HarnessEnv); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "lwm2m-conform")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lwm2m-conform")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverCert is a self-signed server certificate for 127.0.0.1 (iPAddress
// SAN), so that it also passes a PKIX check against itself.
func serverCert(t *testing.T) (*x509.Certificate, tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}
}

// lwm2mServer starts a harness LwM2M server with d, recording into a log.
func lwm2mServer(t *testing.T, d *servers.DTLS) (*servers.LwM2M, *events.Log) {
	t.Helper()
	log := events.NewLog()
	srv, err := servers.StartLwM2M(context.Background(), servers.Config{DTLS: d, Events: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, log
}

// waitEvent waits for the first event of kind k in log.
func waitEvent(t *testing.T, log *events.Log, k events.Kind, within time.Duration) (events.Event, bool) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		changed := log.Changed()
		if e, ok := log.First(k); ok {
			return e, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return events.Event{}, false
		}
	}
}

// The bootstrap adapter end to end, with the reference client run as a
// separate process (`lwm2m-conform client --bootstrap`): everything the
// case provisions reaches the client through Bootstrap-Writes only.
func TestBootstrapAdapterWithReferenceClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the harness binary")
	}
	t.Setenv(HarnessEnv, harnessBinary(t))
	profile := bootstrapProfile + `  - "{{with .TrustStorePEM}}--truststore={{.}}{{end}}"
  - --flight-interval=200ms
  - --log-level=debug
`
	a := NewBootstrap(mustLoad(t, profile))
	start := func(t *testing.T, tg Target) Instance {
		t.Helper()
		inst, err := a.Start(context.Background(), tg)
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		t.Cleanup(func() { inst.Stop() })
		return inst
	}
	registered := func(t *testing.T, srv *servers.LwM2M, inst Instance, ep string) servers.Registration {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		reg, err := srv.WaitRegistered(ctx, ep)
		if err != nil {
			t.Fatalf("no Register: %v\n%s\n%s", err, inst.Command(), inst.Output())
		}
		return reg
	}

	t.Run("psk with SNI and suites", func(t *testing.T) {
		key := []byte("0123456789abcdef")
		srv, log := lwm2mServer(t, &servers.DTLS{PSK: map[string][]byte{"dev-psk": key}})
		tg := Target{CaseID: "psk/bootstrap", Endpoint: "bs-psk", Mode: "psk", LwM2M: "1.1", Usage: -1,
			ServerURI: "coaps://" + srv.Addr().String(), PSKIdentity: "dev-psk", PSKKey: key,
			SNI: "lwm2m.example.test", CipherSuites: []uint16{0xC0A8}, Lifetime: 42 * time.Second, Dir: t.TempDir()}
		inst := start(t, tg)
		if reg := registered(t, srv, inst, tg.Endpoint); reg.Lifetime != "42" {
			t.Errorf("registered with lifetime %s, want /1/0/1 = 42", reg.Lifetime)
		}
		hello, _ := waitEvent(t, log, events.ClientHello, time.Second)
		if hello.Hello == nil || hello.Hello.SNI != "lwm2m.example.test" || !slices.Equal(hello.Hello.CipherSuites, []uint16{0xC0A8}) {
			t.Errorf("ClientHello %+v: want SNI and suites from /0/1/14 and /0/1/16", hello.Hello)
		}
		// The command line names the bootstrap server only.
		if cmd := inst.Command(); strings.Contains(cmd, srv.Addr().String()) || !strings.Contains(cmd, "--bootstrap") {
			t.Errorf("command line %s", cmd)
		}
		inst.Stop()
		logged, err := os.ReadFile(filepath.Join(tg.Dir, bootstrapLogFile))
		if err != nil || !strings.Contains(string(logged), "Bootstrap-Write /0/1") {
			t.Errorf("%s: %v\n%s", bootstrapLogFile, err, logged)
		}
		out := inst.Output()
		for _, want := range []string{"Bootstrap-Request bs-psk", "Bootstrap-Write /0/1", "Bootstrap-Finish to bs-psk: Changed"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks the bootstrap server's %q:\n%s", want, out)
			}
		}
	})

	cert, tc := serverCert(t)
	client, clientKey := testCert(t, "client", false)
	certCase := func(dir string) Target {
		return Target{CaseID: "certusage/bootstrap", Endpoint: "bs-cert", Mode: "cert", LwM2M: "1.1", Usage: 3,
			ServerPublicKey: cert.Raw, ClientCertDER: client.Raw, ClientKeyPKCS8: clientKey, Dir: dir}
	}

	t.Run("certificate DANE-EE", func(t *testing.T) {
		srv, _ := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		tg := certCase(t.TempDir())
		tg.ServerURI = "coaps://" + srv.Addr().String()
		registered(t, srv, start(t, tg), tg.Endpoint)
	})

	t.Run("certificate with a wrong Server Public Key", func(t *testing.T) {
		srv, log := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		other, _ := testCert(t, "other", false)
		tg := certCase(t.TempDir())
		tg.ServerURI, tg.ServerPublicKey = "coaps://"+srv.Addr().String(), other.Raw
		inst := start(t, tg)
		if _, ok := waitEvent(t, log, events.AlertReceived, 15*time.Second); !ok {
			t.Fatalf("no alert from a client provisioned with another Server Public Key\n%s", inst.Output())
		}
		if _, ok := srv.Registration(tg.Endpoint); ok {
			t.Error("registered despite the wrong Server Public Key")
		}
	})

	t.Run("trust store passed on the command line", func(t *testing.T) {
		srv, _ := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		tg := certCase(t.TempDir())
		// PKIX-EE: only a client holding the trust store accepts.
		tg.ServerURI, tg.Usage, tg.TrustStore = "coaps://"+srv.Addr().String(), 1, []*x509.Certificate{cert}
		registered(t, srv, start(t, tg), tg.Endpoint)
	})

	t.Run("failed bootstrap ends the instance", func(t *testing.T) {
		wrong := NewBootstrap(mustLoad(t, strings.Replace(profile, "--endpoint={{.Endpoint}}", "--endpoint={{.Endpoint}}-renamed", 1)))
		tg := Target{CaseID: "x", Endpoint: "bs-fail", Mode: "nosec", Usage: -1, ServerURI: "coap://127.0.0.1:9", Dir: t.TempDir()}
		inst, err := wrong.Start(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		defer inst.Stop()
		select {
		case <-inst.Done():
		case <-time.After(15 * time.Second):
			t.Fatalf("instance still running after a failed bootstrap\n%s", inst.Output())
		}
		if err := inst.Err(); err == nil || !strings.Contains(err.Error(), "bootstrap failed") || !strings.Contains(err.Error(), "unexpected endpoint") {
			t.Errorf("Err = %v", err)
		}
	})
}
