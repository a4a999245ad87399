package servers

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

func TestManyServersStartAndCloseWithoutLeaks(t *testing.T) {
	p := getPKI(t)
	base := runtime.NumGoroutine()
	configs := make([]Config, 20)
	for i := range configs {
		switch i % 4 {
		case 0: // NoSec
		case 1:
			configs[i].DTLS = &DTLS{PSK: map[string][]byte{"dev1": []byte("secret-key-0001")}}
		case 2:
			configs[i].DTLS = &DTLS{PSK: map[string][]byte{"dev1": []byte("secret-key-0001")}, ConnectionID: true}
		case 3:
			configs[i].DTLS = &DTLS{Certificate: &p.server}
		}
		configs[i].Events = events.NewLog()
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(configs))
	for i, cfg := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- exerciseServer(i, cfg, p)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	checkNoLeak(t, base)
}

// exerciseServer starts a server, registers one client on it, and closes both.
func exerciseServer(i int, cfg Config, p *testPKI) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := StartLwM2M(ctx, cfg)
	if err != nil {
		return fmt.Errorf("server %d: %w", i, err)
	}
	defer s.Close()
	var c *testClient
	switch {
	case cfg.DTLS == nil:
		c, err = dialUDP(s.Addr(), nil)
	case cfg.DTLS.Certificate != nil:
		c, err = dialDTLS(ctx, s.Addr(), &dtls.Config{RootCAs: p.caPool, ServerName: "lwm2m.test"}, nil)
	default:
		cc := pskClientConfig("dev1")
		if cfg.DTLS.ConnectionID {
			cc.ConnectionIDGenerator = dtls.OnlySendCIDGenerator()
		}
		c, err = dialDTLS(ctx, s.Addr(), cc, nil)
	}
	if err != nil {
		return fmt.Errorf("server %d: client: %w", i, err)
	}
	defer c.close()
	if _, err := c.register(ctx, fmt.Sprintf("ep%d", i), registerLinks); err != nil {
		return fmt.Errorf("server %d: register: %w", i, err)
	}
	if _, err := s.WaitRegistered(ctx, fmt.Sprintf("ep%d", i)); err != nil {
		return fmt.Errorf("server %d: %w", i, err)
	}
	return nil
}

func TestContextEndsServer(t *testing.T) {
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := StartLwM2M(ctx, Config{DTLS: &DTLS{PSK: map[string][]byte{"a": []byte("k")}}})
	if err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	cancel()
	checkNoLeak(t, base)
	// The port is free again: the socket was closed.
	l, err := net.ListenUDP("udp", addr)
	if err != nil {
		t.Fatalf("port still bound after ctx ended: %v", err)
	}
	_ = l.Close()
	if err := s.Close(); err != nil {
		t.Fatalf("Close after ctx end: %v", err)
	}
}

func TestCloseDuringHandshake(t *testing.T) {
	base := runtime.NumGoroutine()
	p := getPKI(t)
	log := events.NewLog()
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{DTLS: &DTLS{Certificate: &p.server}, Events: log})
	if err != nil {
		t.Fatal(err)
	}
	// A client that sends one ClientHello and then goes silent.
	raw, err := net.DialUDP("udp", nil, s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	hello := capturedClientHello(t)
	if _, err := raw.Write(hello); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, log, events.ClientHello, time.Second, nil)
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v with a handshake pending", d)
	}
	if _, ok := log.First(events.HandshakeFail); ok {
		t.Error("shutdown recorded as a handshake failure")
	}
	raw.Close()
	checkNoLeak(t, base)
}

// capturedClientHello is the first datagram of a pion client.
func capturedClientHello(t *testing.T) []byte {
	t.Helper()
	srv, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sock, err := newRebindConn()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(done)
		_, _ = dtls.ClientWithContext(ctx, sock, srv.LocalAddr(), &dtls.Config{InsecureSkipVerify: true})
	}()
	buf := make([]byte, 2048)
	_ = srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := srv.ReadFrom(buf)
	cancel()
	_ = sock.Close()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func TestConfigErrors(t *testing.T) {
	p := getPKI(t)
	ctx := testCtx(t, time.Second)
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no credentials", Config{DTLS: &DTLS{}}, "needs a Certificate"},
		{"empty PSK map", Config{DTLS: &DTLS{PSK: map[string][]byte{}}}, "PSK map is empty"},
		{"empty PSK key", Config{DTLS: &DTLS{PSK: map[string][]byte{"a": nil}}}, "empty key"},
		{"no key", Config{DTLS: &DTLS{Certificate: &tlsCertNoKey}}, "no private key"},
		{"client certs without server cert", Config{DTLS: &DTLS{PSK: map[string][]byte{"a": []byte("k")}, RequireClientCert: true}}, "client certificates"},
		{"PSK with certificate suites only", Config{DTLS: &DTLS{PSK: map[string][]byte{"a": []byte("k")},
			CipherSuites: []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}}}, "DTLS configuration"},
		{"certificate with PSK suites only", Config{DTLS: &DTLS{Certificate: &p.server,
			CipherSuites: []dtls.CipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8}}}, "DTLS configuration"},
		{"bad address", Config{Addr: "127.0.0.1:notaport"}, "notaport"},
		{"bad DTLS address", Config{Addr: "256.0.0.1:0", DTLS: &DTLS{PSK: map[string][]byte{"a": []byte("k")}}}, "resolve"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := StartLwM2M(ctx, tc.cfg)
			if err == nil {
				s.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want containing %q", err, tc.want)
			}
		})
	}
}

var tlsCertNoKey = tls.Certificate{Certificate: [][]byte{{0x30}}}

func TestSessionConnReadDeadline(t *testing.T) {
	c := newSessionConn(nil, "s0", &net.UDPAddr{})
	buf := make([]byte, 10)
	_ = c.SetReadDeadline(time.Now().Add(-time.Second))
	if _, _, err := c.ReadFrom(buf); err != os.ErrDeadlineExceeded {
		t.Fatalf("past deadline: %v", err)
	}
	_ = c.SetReadDeadline(time.Time{})
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.ReadFrom(buf)
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	_ = c.SetReadDeadline(time.Now().Add(-time.Second)) // how pion cancels a read
	select {
	case err := <-errc:
		if err != os.ErrDeadlineExceeded {
			t.Fatalf("interrupted read: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("a deadline in the past did not wake the reader")
	}
	_ = c.SetReadDeadline(time.Time{})
	if !c.deliver(datagram{data: []byte("abc"), from: &net.UDPAddr{Port: 7}}) {
		t.Fatal("deliver refused")
	}
	n, from, err := c.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "abc" || from.(*net.UDPAddr).Port != 7 {
		t.Fatalf("read %q from %v: %v", buf[:n], from, err)
	}
}

func TestSilentClientHandshakeTimesOut(t *testing.T) {
	log := events.NewLog()
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{
		DTLS:   &DTLS{Certificate: &getPKI(t).server, HandshakeTimeout: 300 * time.Millisecond},
		Events: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw, err := net.DialUDP("udp", nil, s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Write(capturedClientHello(t)); err != nil {
		t.Fatal(err)
	}
	fail := waitEvent(t, log, events.HandshakeFail, 2*time.Second, nil)
	if fail.Fields["timeout"] != "true" {
		t.Errorf("HandshakeFail %v", fail.Fields)
	}
	hello := waitEvent(t, log, events.ClientHello, time.Second, nil)
	if d := fail.Time.Sub(hello.Time); d < 300*time.Millisecond || d > time.Second {
		t.Errorf("timeout after %v, configured 300ms", d)
	}
}
