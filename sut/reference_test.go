package sut

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/dtls/v2"
)

func TestReferenceModel(t *testing.T) {
	tg := certTarget(t)
	tg.SNI, tg.CipherSuites = "server.example", []uint16{0xC0AE}
	m, err := referenceModel(tg)
	if err != nil {
		t.Fatal(err)
	}
	secs, srvs := m.Security(), m.Servers()
	if len(secs) != 1 || len(srvs) != 1 {
		t.Fatalf("%d security and %d server instances", len(secs), len(srvs))
	}
	s := secs[0]
	if s.Instance != 0 || s.URI != tg.ServerURI || s.Mode != 2 || s.ShortServerID != referenceSSID ||
		string(s.PublicKeyOrIdentity) != string(tg.ClientCertDER) || string(s.SecretKey) != string(tg.ClientKeyPKCS8) ||
		string(s.ServerPublicKey) != string(tg.ServerPublicKey) || s.SNI != "server.example" ||
		s.CertUsage == nil || *s.CertUsage != 3 || len(s.CipherSuites) != 1 || s.CipherSuites[0] != 0xC0AE {
		t.Errorf("security instance = %+v", s)
	}
	if v := srvs[0]; v.ShortServerID != referenceSSID || v.Lifetime != referenceLifetime || v.Binding != "U" {
		t.Errorf("server instance = %+v", v)
	}

	psk := Target{Endpoint: "ep", ServerURI: "coaps://127.0.0.1:1", Mode: "psk", LwM2M: "1.1", Usage: -1, PSKIdentity: "id", PSKKey: []byte{9}}
	if m, err = referenceModel(psk); err != nil {
		t.Fatal(err)
	}
	if s := m.Security()[0]; s.Mode != 0 || string(s.PublicKeyOrIdentity) != "id" || string(s.SecretKey) != "\x09" || s.CertUsage != nil || s.CipherSuites != nil {
		t.Errorf("psk security instance = %+v", s)
	}
	if _, err := referenceModel(Target{ServerURI: "coaps://h:1", Mode: "rpk", Usage: -1}); err == nil || !strings.Contains(err.Error(), `"rpk"`) {
		t.Errorf("unknown mode: %v", err)
	}
}

// dtlsPeer is a bare DTLS server: enough to see the reference client's
// handshake succeed or fail without an LwM2M server behind it.
type dtlsPeer struct {
	addr    string
	results chan error // one per handshake: nil, or why it failed
}

func startPeer(t *testing.T, cfg *dtls.Config) *dtlsPeer {
	t.Helper()
	l, err := dtls.Listen("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &dtlsPeer{addr: l.Addr().String(), results: make(chan error, 16)}
	closed := make(chan struct{})
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			select {
			case <-closed:
				return
			default:
			}
			// A failed handshake is a result, not the end of the listener.
			select {
			case p.results <- err:
			default:
			}
			if err == nil {
				conns = append(conns, c)
			}
		}
	}()
	t.Cleanup(func() { close(closed); l.Close() })
	return p
}

func (p *dtlsPeer) next(t *testing.T) error {
	t.Helper()
	select {
	case err := <-p.results:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no handshake at the peer within 5s")
		return nil
	}
}

func certPeer(t *testing.T) (*dtlsPeer, *x509.Certificate) {
	t.Helper()
	cert, pk := testCert(t, "localhost", false)
	key, err := x509.ParsePKCS8PrivateKey(pk)
	if err != nil {
		t.Fatal(err)
	}
	return startPeer(t, &dtls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key.(crypto.Signer)}},
	}), cert
}

func startReference(t *testing.T, a Adapter, tg Target) Instance {
	t.Helper()
	inst, err := a.Start(context.Background(), tg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { inst.Stop() })
	return inst
}

func TestReferenceAcceptsTheProvisionedServer(t *testing.T) {
	peer, serverCert := certPeer(t)
	tg := certTarget(t)
	tg.ServerURI, tg.ServerPublicKey, tg.TrustStore = "coaps://"+peer.addr, serverCert.Raw, nil
	tg.KeyLogFile = filepath.Join(tg.Dir, "sslkeylog.txt")
	inst := startReference(t, NewReference(ReferenceOptions{}), tg)
	if err := peer.next(t); err != nil {
		t.Fatalf("handshake failed at the peer: %v\nclient output:\n%s", err, inst.Output())
	}
	// The key log holds the session's secrets: owner-only, and filled.
	waitFor(t, func() bool {
		b, _ := os.ReadFile(tg.KeyLogFile)
		return strings.Contains(string(b), "CLIENT_RANDOM ")
	})
	if st, _ := os.Stat(tg.KeyLogFile); st.Mode().Perm() != 0o600 {
		t.Errorf("key log mode %v, want 0600", st.Mode().Perm())
	}
	if inst.Err() != nil || inst.Command() != "" {
		t.Errorf("Err %v, Command %q", inst.Err(), inst.Command())
	}
	start := time.Now()
	if err := inst.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Stop after a completed handshake took %s", time.Since(start))
	if !errors.Is(inst.Err(), ErrStopped) {
		t.Errorf("Err after Stop = %v", inst.Err())
	}
	logged, err := os.ReadFile(filepath.Join(tg.Dir, outputFile))
	if err != nil || len(logged) == 0 || !strings.Contains(inst.Output(), "level=") {
		t.Errorf("client log not captured: file %d bytes (%v), output %q", len(logged), err, inst.Output())
	}
}

func TestReferenceRejectsAnotherServer(t *testing.T) {
	peer, _ := certPeer(t)
	tg := certTarget(t) // its Server Public Key is an unrelated certificate
	tg.ServerURI, tg.TrustStore = "coaps://"+peer.addr, nil
	startReference(t, NewReference(ReferenceOptions{}), tg)
	err := peer.next(t)
	if err == nil || !strings.Contains(err.Error(), "alert") {
		t.Errorf("peer handshake error = %v, want an alert from the client", err)
	}
	t.Logf("peer saw: %v", err)
	// The deliberately broken client accepts the same server.
	peer2, _ := certPeer(t)
	tg.ServerURI = "coaps://" + peer2.addr
	insecure := NewReference(ReferenceOptions{InsecureAcceptAnyServer: true})
	if insecure.Name() != "reference-insecure" {
		t.Errorf("name = %q", insecure.Name())
	}
	startReference(t, insecure, tg)
	if err := peer2.next(t); err != nil {
		t.Errorf("insecure client: handshake failed at the peer: %v", err)
	}
}

func TestReferencePSK(t *testing.T) {
	key := []byte("0123456789abcdef")
	peer := startPeer(t, &dtls.Config{
		PSK:             func(id []byte) ([]byte, error) { return key, nil },
		PSKIdentityHint: []byte("hint"),
		CipherSuites:    []dtls.CipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8},
	})
	tg := Target{Endpoint: "ep-psk", ServerURI: "coaps://" + peer.addr, Mode: "psk", LwM2M: "1.1", Usage: -1,
		PSKIdentity: "device-1", PSKKey: key}
	startReference(t, NewReference(ReferenceOptions{}), tg)
	if err := peer.next(t); err != nil {
		t.Errorf("PSK handshake failed at the peer: %v", err)
	}
}

// Against nothing at all, the client keeps retrying; Stop must still be
// immediate.
func TestReferenceStopsPromptly(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close() // nobody listens there now
	tg := certTarget(t)
	tg.ServerURI = "coaps://" + addr
	inst := startReference(t, NewReference(ReferenceOptions{HandshakeTimeout: 5 * time.Second}), tg)
	time.Sleep(100 * time.Millisecond)
	select {
	case <-inst.Done():
		t.Fatalf("client ended by itself: %v\n%s", inst.Err(), inst.Output())
	default:
	}
	start := time.Now()
	if err := inst.Stop(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("Stop of a client mid-handshake took %s", took)
	if took > 500*time.Millisecond {
		t.Errorf("Stop took %s", took)
	}
	live.Lock()
	_, tracked := live.set[inst]
	live.Unlock()
	if tracked {
		t.Error("stopped instance still registered")
	}
}

func TestReferenceStartErrors(t *testing.T) {
	a := NewReference(ReferenceOptions{})
	if _, err := a.Start(context.Background(), Target{ServerURI: "coaps://h:1", Mode: "psk", Usage: 7}); err == nil {
		t.Error("started with certificate usage 7")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.Start(ctx, certTarget(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a cancelled context: %v", err)
	}
}

func TestReferenceCapabilities(t *testing.T) {
	c := NewReference(ReferenceOptions{FlightInterval: 300 * time.Millisecond}).Capabilities()
	if !c.CID || !c.Resumption || !c.EST || !c.Bootstrap || c.MaxPSKLen != maxPionPSKLen || !c.RealTimeClock ||
		!c.SNI || !c.CipherSuites || !c.CertUsage || c.FlightInterval != 300*time.Millisecond {
		t.Errorf("capabilities = %+v", c)
	}
}

func TestLoad(t *testing.T) {
	a, err := Load("reference", ReferenceOptions{})
	if err != nil || a.Name() != "reference" {
		t.Fatalf("Load(reference) = %v, %v", a, err)
	}
	path := writeProfile(t, "name: from-file\ncommand: [x]\n")
	if a, err = Load(path, ReferenceOptions{}); err != nil || a.Name() != "from-file" {
		t.Fatalf("Load(%s) = %v, %v", path, a, err)
	}
	if _, err = Load(filepath.Join(t.TempDir(), "missing.yaml"), ReferenceOptions{}); err == nil {
		t.Error("loaded a missing file")
	}
	if _, err = Load("no-such-profile", ReferenceOptions{}); err == nil || !strings.Contains(err.Error(), "fixtures/sut/no-such-profile.yaml") {
		t.Errorf("bare unknown name: %v", err)
	}
	if _, err = Load("", ReferenceOptions{}); err == nil {
		t.Error("loaded an empty name")
	}
}
