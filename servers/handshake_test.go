package servers

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

func startPSKServer(t *testing.T, log *events.Log, mod func(*Config)) *LwM2M {
	t.Helper()
	cfg := Config{
		DTLS:   &DTLS{PSK: map[string][]byte{"dev1": []byte("secret-key-0001")}},
		Events: log,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := StartLwM2M(testCtx(t, time.Minute), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func pskClientConfig(identity string) *dtls.Config {
	return &dtls.Config{
		PSK:             func([]byte) ([]byte, error) { return []byte("secret-key-0001"), nil },
		PSKIdentityHint: []byte(identity),
		CipherSuites:    []dtls.CipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8},
		ServerName:      "lwm2m.test",
	}
}

func TestPSKHandshakeEvents(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, func(c *Config) { c.Verbose = true })
	c, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), pskClientConfig("dev1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	var hellos []events.Event
	for _, h := range eventsOf(log, events.ClientHello) {
		if h.Fields["retransmission"] == "false" {
			hellos = append(hellos, h)
		}
	}
	if len(hellos) != 2 {
		t.Fatalf("%d ClientHello events, want the initial one and the one with the cookie:\n%s", len(hellos), timeline(log))
	}
	if hellos[0].Fields["cookie"] != "false" || hellos[1].Fields["cookie"] != "true" || hellos[1].Hello.CookieLen == 0 {
		t.Errorf("cookie marking: %v / %v", hellos[0].Fields, hellos[1].Fields)
	}
	for _, h := range hellos {
		if !h.Hello.HasSNI || h.Hello.SNI != "lwm2m.test" {
			t.Errorf("SNI %v %q", h.Hello.HasSNI, h.Hello.SNI)
		}
		if !reflect.DeepEqual(h.Hello.CipherSuites, []uint16{0xC0A8}) {
			t.Errorf("offered suites %x, client configured C0A8", h.Hello.CipherSuites)
		}
		if h.Fields["suites"] != "TLS_PSK_WITH_AES_128_CCM_8" || h.Fields["session"] != "s1" {
			t.Errorf("fields %v", h.Fields)
		}
	}
	done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)
	want := map[string]string{
		"suite": "TLS_PSK_WITH_AES_128_CCM_8", "suite_id": "0xC0A8", "psk_identity": "dev1",
		"resumed": "false", "cid": "", "sni": "lwm2m.test", "session": "s1",
	}
	for k, v := range want {
		if done.Fields[k] != v {
			t.Errorf("HandshakeDone %s = %q, want %q", k, done.Fields[k], v)
		}
	}
	if done.Fields["remote"] != c.sock.LocalAddr().String() {
		t.Errorf("remote %q, client is %s", done.Fields["remote"], c.sock.LocalAddr())
	}
	flight := waitEvent(t, log, events.Note, time.Second, func(e events.Event) bool { return e.Fields["what"] == "server_flight" })
	if !strings.HasPrefix(flight.Fields["messages"], "server_hello") || !strings.Contains(flight.Fields["messages"], "server_hello_done") {
		t.Errorf("server flight %q", flight.Fields["messages"])
	}
	// Record headers in both directions.
	var up, down int
	for _, r := range eventsOf(log, events.Record) {
		switch r.Fields["dir"] {
		case "up":
			up++
		case "down":
			down++
		}
	}
	if up < 4 || down < 4 {
		t.Errorf("Record events: %d up, %d down", up, down)
	}
}

func TestCertificateHandshakeEvents(t *testing.T) {
	p := getPKI(t)
	log := events.NewLog()
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{
		DTLS:   &DTLS{Certificate: &p.server, ClientCAs: p.caPool},
		Events: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	suites := []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
	c, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), &dtls.Config{
		Certificates: []tls.Certificate{p.client},
		RootCAs:      p.caPool,
		ServerName:   "lwm2m.test",
		CipherSuites: suites,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	h := waitEvent(t, log, events.ClientHello, time.Second, nil)
	if !reflect.DeepEqual(h.Hello.CipherSuites, []uint16{0xC0AE, 0xC02B}) || h.Hello.SNI != "lwm2m.test" {
		t.Errorf("hello %+v", h.Hello)
	}
	done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)
	if done.Fields["suite"] != "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" || done.Fields["peer_subject"] != "CN=urn:dev:test-client" {
		t.Errorf("HandshakeDone %v", done.Fields)
	}
	if _, ok := done.Fields["psk_identity"]; ok {
		t.Errorf("psk_identity on a certificate handshake: %v", done.Fields)
	}
	if _, ok := sutRecord(log, "handshake", "certificate_verify"); !ok {
		t.Errorf("no Record event for the SUT's CertificateVerify without Verbose:\n%s", timeline(log))
	}
}

func TestClientRejectingServerCertificateIsSeenAtOnce(t *testing.T) {
	p := getPKI(t)
	log := events.NewLog()
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{DTLS: &DTLS{Certificate: &p.server}, Events: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = dialDTLS(testCtx(t, 5*time.Second), s.Addr(), &dtls.Config{
		InsecureSkipVerify: true,
		ServerName:         "lwm2m.test",
		VerifyPeerCertificate: func([][]byte, [][]*x509.Certificate) error {
			return errors.New("usage 3: presented leaf is not the Server Public Key")
		},
	}, nil)
	if err == nil {
		t.Fatal("the client accepted the server")
	}
	a := waitEvent(t, log, events.AlertReceived, 200*time.Millisecond, nil)
	if a.Alert == nil || a.Alert.Name != "bad_certificate" || a.Alert.Level != 2 || a.Fields["session"] != "s1" {
		t.Fatalf("alert event %+v %v", a.Alert, a.Fields)
	}
	if d := a.Time.Sub(start); d > 200*time.Millisecond {
		t.Fatalf("alert recorded %v after the handshake began", d)
	}
	t.Logf("bad_certificate recorded %v after the client started", a.Time.Sub(start))
	fail := waitEvent(t, log, events.HandshakeFail, time.Second, nil)
	if fail.Fields["alert"] != "bad_certificate" || !strings.Contains(fail.Fields["error"], "BadCertificate") {
		t.Errorf("HandshakeFail %v", fail.Fields)
	}
	if _, ok := log.First(events.HandshakeDone); ok {
		t.Error("HandshakeDone recorded for a rejected handshake")
	}
}

func TestUnknownPSKIdentityFailsHandshake(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	if _, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), pskClientConfig("nobody"), nil); err == nil {
		t.Fatal("handshake with an unknown identity succeeded")
	}
	fail := waitEvent(t, log, events.HandshakeFail, 2*time.Second, nil)
	if fail.Fields["psk_identity"] != "nobody" || !strings.Contains(fail.Fields["error"], `unknown PSK identity "nobody"`) {
		t.Errorf("HandshakeFail %v", fail.Fields)
	}
	sent := waitEvent(t, log, events.AlertSent, time.Second, nil)
	if sent.Alert.Name != "internal_error" {
		t.Errorf("server sent %s, pion answers unknown identities with internal_error", sent.Alert.Name)
	}
}

// syncBuffer is a bytes.Buffer safe for pion's handshake goroutine.
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

func TestClientCertificateRequiredAndKeyLog(t *testing.T) {
	p := getPKI(t)
	log := events.NewLog()
	keylog := &syncBuffer{}
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{
		DTLS:   &DTLS{Certificate: &p.server, ClientCAs: p.caPool, KeyLogWriter: keylog},
		Events: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Without a client certificate the server refuses.
	if _, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), &dtls.Config{RootCAs: p.caPool, ServerName: "lwm2m.test"}, nil); err == nil {
		t.Fatal("handshake without a client certificate succeeded")
	}
	waitEvent(t, log, events.HandshakeFail, time.Second, nil)
	// With one it accepts, and the key log has the session's secret.
	c, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), &dtls.Config{
		Certificates: []tls.Certificate{p.client}, RootCAs: p.caPool, ServerName: "lwm2m.test",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.close()
	if !strings.HasPrefix(keylog.String(), "CLIENT_RANDOM ") {
		t.Errorf("key log %q", keylog.String())
	}
}
