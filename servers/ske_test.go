package servers

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// captureConn keeps a copy of every datagram the client receives.
type captureConn struct {
	*net.UDPConn
	mu   sync.Mutex
	seen [][]byte
}

func (c *captureConn) ReadFrom(p []byte) (int, net.Addr, error) {
	n, from, err := c.UDPConn.ReadFrom(p)
	if err == nil {
		c.mu.Lock()
		c.seen = append(c.seen, append([]byte(nil), p[:n]...))
		c.mu.Unlock()
	}
	return n, from, err
}

// serverKeyExchange handshakes offering suites and returns the body of the
// ServerKeyExchange the server sent, or nil when it sent none.
func serverKeyExchange(t *testing.T, hint []byte, suites ...dtls.CipherSuiteID) []byte {
	t.Helper()
	s := startPSKServer(t, events.NewLog(), func(c *Config) { c.DTLS.PSKIdentityHint = hint })
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	sock := &captureConn{UDPConn: udp}
	cfg := pskClientConfig("dev1")
	cfg.CipherSuites = suites
	conn, err := dtls.ClientWithContext(testCtx(t, 5*time.Second), sock, s.Addr(), cfg)
	if err != nil {
		_ = sock.Close()
		t.Fatal(err)
	}
	_ = conn.Close()
	sock.mu.Lock()
	defer sock.mu.Unlock()
	for _, d := range sock.seen {
		recs, _ := dtlswire.ParseRecords(d, 0)
		for _, r := range recs {
			if r.Epoch != 0 || r.ContentType != dtlswire.ContentHandshake {
				continue
			}
			hh, body, err := dtlswire.ParseHandshakeHeader(r.Fragment)
			if err == nil && hh.Type == dtlswire.HandshakeServerKeyExchange {
				return body
			}
		}
	}
	return nil
}

// RFC 5489 §2: an ECDHE-PSK ServerKeyExchange starts with psk_identity_hint
// and its 2-byte length, even when there is no hint; the ECDH parameters
// (curve_type 3 = named_curve) follow.
func TestECDHEPSKServerKeyExchangeCarriesHintLength(t *testing.T) {
	for _, tc := range []struct {
		name string
		hint []byte
	}{{"no hint configured", nil}, {"hint configured", []byte("lwm2m")}} {
		t.Run(tc.name, func(t *testing.T) {
			// Offered first, ECDHE-PSK is pion's choice over plain PSK.
			body := serverKeyExchange(t, tc.hint, dtls.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, dtls.TLS_PSK_WITH_AES_128_CCM_8)
			if len(body) < 2+len(tc.hint)+1 {
				t.Fatalf("ServerKeyExchange % x too short", body)
			}
			n := int(body[0])<<8 | int(body[1])
			if n != len(tc.hint) || !bytes.Equal(body[2:2+n], tc.hint) || body[2+n] != 3 {
				t.Fatalf("ServerKeyExchange starts % x, want hint length %d, hint %q, then curve_type 3",
					body[:min(len(body), 8)], len(tc.hint), tc.hint)
			}
		})
	}
}

// RFC 4279 §2: with plain PSK and no hint the server omits ServerKeyExchange.
func TestPlainPSKFlightUnchanged(t *testing.T) {
	if body := serverKeyExchange(t, nil, dtls.TLS_PSK_WITH_AES_128_CCM_8, dtls.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256); body != nil {
		t.Errorf("plain PSK without a hint sent ServerKeyExchange % x", body)
	}
	body := serverKeyExchange(t, []byte("lwm2m"), dtls.TLS_PSK_WITH_AES_128_CCM_8)
	if !bytes.Equal(body, []byte("\x00\x05lwm2m")) {
		t.Errorf("plain PSK with hint: ServerKeyExchange % x", body)
	}
}

// A ClientHello the harness cannot decode gets the empty hint, which is well
// formed for plain and ECDHE PSK alike; a configured hint is kept.
func TestPSKHintFallback(t *testing.T) {
	if h := pskHint(nil, pskSuites, []byte{1, 0, 0}); h == nil || len(h) != 0 {
		t.Errorf("undecodable ClientHello: hint %#v, want empty non-nil", h)
	}
	if h := pskHint([]byte("x"), pskSuites, nil); string(h) != "x" {
		t.Errorf("configured hint replaced by %q", h)
	}
}
