package sut

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

const (
	leshanProfile          = "../fixtures/sut/leshan-client.yaml"
	leshanBootstrapProfile = "../fixtures/sut/leshan-client-bootstrap.yaml"
)

func TestLeshanArgFileQuotesThePath(t *testing.T) {
	got := string(leshanArgFile([]string{"/cache/a b/x.jar", `/c"d\e.jar`}))
	want := "-cp\n\"/cache/a b/x.jar:/c\\\"d\\\\e.jar\"\n" + leshanClientMain + "\n"
	if got != want {
		t.Errorf("argfile =\n%s\nwant\n%s", got, want)
	}
}

// The shipped Leshan profiles load without Java (the Java-dependent
// values are not resolved at load time) and say how they provision.
func TestLeshanProfilesLoadWithoutJava(t *testing.T) {
	t.Setenv("JAVA_HOME", "")
	t.Setenv("PATH", t.TempDir())
	plain, err := LoadProfile(leshanProfile)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := LoadProfile(leshanBootstrapProfile)
	if err != nil {
		t.Fatal(err)
	}
	if UsesBootstrap(plain) || !UsesBootstrap(bs) {
		t.Errorf("UsesBootstrap: leshan-client %v, leshan-client-bootstrap %v", UsesBootstrap(plain), UsesBootstrap(bs))
	}
	if _, err := javaLauncher(); err == nil || !strings.Contains(err.Error(), "Java 17") {
		t.Errorf("without java: %v", err)
	}
}

func TestCipherSuiteNamesAndLifetimeSeconds(t *testing.T) {
	d, err := newTemplateData(Target{Mode: "psk", Usage: -1, CipherSuites: []uint16{0xC0A8, 0xC02B, 0x1301, 0xFFFE},
		Lifetime: 1500 * time.Millisecond}, "", true)
	if err != nil {
		t.Fatal(err)
	}
	want := "TLS_PSK_WITH_AES_128_CCM_8,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256,0xFFFE"
	if d.CipherSuiteNames != want {
		t.Errorf("CipherSuiteNames = %q\nwant %q", d.CipherSuiteNames, want)
	}
	if d.LifetimeSeconds != "2" {
		t.Errorf("LifetimeSeconds = %q, want whole seconds rounded up", d.LifetimeSeconds)
	}
}

// requireLeshan skips where the Leshan client cannot run (no Java, or no
// Maven for the first build), unless CI is set: there it must run.
func requireLeshan(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts JVMs")
	}
	_, err := javaLauncher()
	if err == nil {
		_, err = leshanClientClasspath()
		if err != nil && !errors.Is(err, leshan.ErrMavenMissing) {
			t.Fatal(err)
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and the Leshan client cannot run: %v", err)
		}
		t.Skip(err)
	}
}

func loadAdapter(t *testing.T, path string) Adapter {
	t.Helper()
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	if UsesBootstrap(p) {
		return NewBootstrap(p)
	}
	return NewExec(p)
}

// runUntilRegistered starts a on tg against srv and waits for its Register.
func runUntilRegistered(t *testing.T, a Adapter, srv *servers.LwM2M, tg Target) servers.Registration {
	t.Helper()
	inst, err := a.Start(context.Background(), tg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer inst.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reg, err := srv.WaitRegistered(ctx, tg.Endpoint)
	if err != nil {
		t.Fatalf("no Register: %v\n%s\n%s", err, inst.Command(), inst.Output())
	}
	return reg
}

// The Leshan client through both shipped profiles, against the harness
// server: every flag the plain profile renders is one the client takes,
// and the bootstrap profile reaches the same server by Bootstrap-Writes.
func TestLeshanClientProfiles(t *testing.T) {
	requireLeshan(t)
	plain, bootstrap := loadAdapter(t, leshanProfile), loadAdapter(t, leshanBootstrapProfile)
	cert, tc := serverCert(t)
	client, clientKey := testCert(t, "client", false)
	certCase := func(ep string, srv *servers.LwM2M) Target {
		return Target{CaseID: "leshan/" + ep, Endpoint: ep, Mode: "cert", LwM2M: "1.1", Usage: 3,
			ServerURI: "coaps://" + srv.Addr().String(), ServerPublicKey: cert.Raw,
			ClientCertDER: client.Raw, ClientKeyPKCS8: clientKey, Dir: t.TempDir()}
	}

	t.Run("psk with cipher suite names and lifetime", func(t *testing.T) {
		key := []byte("0123456789abcdef")
		srv, log := lwm2mServer(t, &servers.DTLS{PSK: map[string][]byte{"leshan-psk": key}})
		tg := Target{CaseID: "leshan/psk", Endpoint: "leshan-psk", Mode: "psk", LwM2M: "1.1", Usage: -1,
			ServerURI: "coaps://" + srv.Addr().String(), PSKIdentity: "leshan-psk", PSKKey: key,
			CipherSuites: []uint16{0xC0A8}, Lifetime: 42 * time.Second, Dir: t.TempDir()}
		if reg := runUntilRegistered(t, plain, srv, tg); reg.Lifetime != "42" {
			t.Errorf("lifetime %s, want 42 (-lt)", reg.Lifetime)
		}
		hello, _ := waitEvent(t, log, events.ClientHello, time.Second)
		if hello.Hello == nil {
			t.Fatal("no ClientHello recorded")
		}
		// Californium adds the renegotiation-info signalling value (0x00FF).
		offered := slices.DeleteFunc(slices.Clone(hello.Hello.CipherSuites), func(s uint16) bool { return s == 0x00FF })
		if !slices.Equal(offered, []uint16{0xC0A8}) {
			t.Errorf("offered suites %04X, want exactly TLS_PSK_WITH_AES_128_CCM_8 (-c)", hello.Hello.CipherSuites)
		}
	})

	t.Run("x509 DANE-EE", func(t *testing.T) {
		srv, _ := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		runUntilRegistered(t, plain, srv, certCase("leshan-x509", srv))
	})

	t.Run("x509 DANE-EE through bootstrap", func(t *testing.T) {
		srv, _ := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		runUntilRegistered(t, bootstrap, srv, certCase("leshan-bs-x509", srv))
	})

	t.Run("wrong Server Public Key", func(t *testing.T) {
		srv, log := lwm2mServer(t, &servers.DTLS{Certificate: &tc})
		other, _ := testCert(t, "other", false)
		tg := certCase("leshan-wrong-spk", srv)
		tg.ServerPublicKey = other.Raw
		inst, err := plain.Start(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		defer inst.Stop()
		if _, ok := waitEvent(t, log, events.AlertReceived, 30*time.Second); !ok {
			t.Fatalf("no alert from Leshan provisioned with another Server Public Key\n%s", inst.Output())
		}
	})
}
