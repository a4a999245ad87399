package impair

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// Real pion DTLS peers on loopback for the proxy to sit between.

const testFlightInterval = 100 * time.Millisecond

var testPSK = []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}

func pskConfig() *dtls.Config {
	return &dtls.Config{
		PSK:             func([]byte) ([]byte, error) { return testPSK, nil },
		PSKIdentityHint: []byte("impair-test"),
		CipherSuites:    []dtls.CipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8},
		FlightInterval:  testFlightInterval,
	}
}

// certConfigs returns a server with a self-signed certificate large enough
// to need a big flight, and a client that accepts it.
func certConfigs(t *testing.T) (server, client *dtls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "impair.test", Organization: []string{"lwm2m-conform impairment proxy test"}},
		DNSNames:     []string{"impair.test", "server.impair.test", "lwm2m.impair.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	server = &dtls.Config{
		Certificates:   []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		CipherSuites:   []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		FlightInterval: testFlightInterval,
	}
	client = &dtls.Config{
		InsecureSkipVerify: true,
		CipherSuites:       []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		FlightInterval:     testFlightInterval,
	}
	return server, client
}

// echoServer is a pion DTLS listener (CID routing when the config asks for
// CIDs) that echoes every application message.
type echoServer struct {
	ln   net.Listener
	errs chan error // one per failed handshake
}

func startEchoServer(t *testing.T, cfg *dtls.Config) *echoServer {
	t.Helper()
	ln, err := dtls.Listen("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{ln: ln, errs: make(chan error, 16)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				select {
				case s.errs <- err:
				default:
				}
				if isClosed(err) {
					return
				}
				continue
			}
			go echo(c)
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return s
}

// isClosed reports the error Accept returns once the listener is closed
// (pion's internal udp package does not export it).
func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "listener closed")
}

func echo(c net.Conn) {
	defer func() { _ = c.Close() }()
	buf := make([]byte, 2048)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

func (s *echoServer) addr() *net.UDPAddr { return s.ln.Addr().(*net.UDPAddr) }

// dialThrough runs a client handshake to addr within timeout.
func dialThrough(t *testing.T, addr *net.UDPAddr, cfg *dtls.Config, timeout time.Duration) (*dtls.Conn, error) {
	t.Helper()
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := dtls.ClientWithContext(ctx, pc, addr, cfg)
	if err != nil {
		_ = pc.Close()
		return nil, err
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, nil
}

// roundTrip sends msg and expects it echoed.
func roundTrip(t *testing.T, c *dtls.Conn, msg string) {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write %q: %v", msg, err)
	}
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("read echo of %q: %v", msg, err)
	}
	if string(buf[:n]) != msg {
		t.Fatalf("echo %q, want %q", buf[:n], msg)
	}
}

func startProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	if cfg.Events == nil {
		cfg.Events = events.NewLog()
	}
	p, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// recordsWhere returns the Record events whose fields include all of want.
func recordsWhere(log *events.Log, want map[string]string) []events.Event {
	var out []events.Event
	for _, e := range log.Events() {
		if e.Kind != events.Record {
			continue
		}
		ok := true
		for k, v := range want {
			if e.Fields[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

func notesWhat(log *events.Log, what string) []events.Event {
	var out []events.Event
	for _, e := range log.Events() {
		if e.Kind == events.Note && e.Fields["what"] == what {
			out = append(out, e)
		}
	}
	return out
}

// syncBuffer collects a key log written from pion's goroutines.
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
