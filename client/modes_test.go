package client

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
	coapnet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
)

func TestUnsupportedModesFailAtNew(t *testing.T) {
	for mode, want := range map[int]string{
		modeRPK: "security mode 1 (raw public key) is not supported",
	} {
		m := provisioned(t, "ep", model.Security{URI: "coaps://127.0.0.1:5684", Mode: mode}, 30*time.Second)
		_, err := New(Options{Model: m})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("mode %d: New error %v, want one line containing %q", mode, err, want)
		}
		if !errors.Is(err, ErrUnsupportedMode) {
			t.Errorf("mode %d: error does not wrap ErrUnsupportedMode", mode)
		}
	}
}

func TestUnsupportedModeWrittenByBootstrapFailsAtConnect(t *testing.T) {
	_, err := resolveTarget(model.Security{Instance: 2, URI: "coaps://h", Mode: modeRPK})
	if err == nil || err.Error() != "security instance /0/2: security mode 1 (raw public key) is not supported: unsupported security mode" {
		t.Fatalf("resolveTarget: %v", err)
	}
}

func TestUpdateAnswered404Reregisters(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second)})
	srv.next("register", 5*time.Second)
	r.registered(t)
	first := r.c.Status().Registered[101]
	srv.mu.Lock()
	srv.forget = true
	srv.mu.Unlock()
	cc := srv.conn(time.Second)
	if code, _, _ := request(t, cc, codes.POST, "/1/0/8", 0, nil); code != codes.Changed {
		t.Fatalf("Execute /1/0/8: %v", code)
	}
	srv.next("update", 3*time.Second)
	srv.next("register", 3*time.Second)
	waitFor(t, 3*time.Second, "a new registration", func() bool {
		loc := r.c.Status().Registered[101]
		return loc != "" && loc != first
	})
}

func TestPeriodicUpdateBeforeLifetimeExpires(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	start(t, Options{Model: provisioned(t, "ep", sec, 2*time.Second)})
	reg := srv.next("register", 5*time.Second)
	up := srv.next("update", 3*time.Second)
	// lifetime 2 s → Update at half-time (updateDelay).
	if d := up.at.Sub(reg.at); d < 900*time.Millisecond || d > 1500*time.Millisecond {
		t.Fatalf("Update %s after Register, want about 1 s for a 2 s lifetime", d)
	}
}

func TestUpdateDelay(t *testing.T) {
	for lt, want := range map[time.Duration]time.Duration{
		2 * time.Second:     time.Second,
		60 * time.Second:    30 * time.Second,
		300 * time.Second:   207 * time.Second,
		86400 * time.Second: 77760 * time.Second,
	} {
		if got := updateDelay(lt); got != want {
			t.Errorf("updateDelay(%s) = %s, want %s", lt, got, want)
		}
	}
}

func TestNoSecRegisters(t *testing.T) {
	got := make(chan string, 4)
	router := mux.NewRouter()
	router.DefaultHandle(mux.HandlerFunc(func(w mux.ResponseWriter, r *mux.Message) {
		p, _ := r.Options().Path()
		q, _ := r.Options().Queries()
		got <- r.Code().String() + " " + strings.TrimPrefix(p, "/") + " " + strings.Join(q, "&")
		switch r.Code() {
		case codes.POST:
			_ = w.SetResponse(codes.Created, message.TextPlain, nil, message.Option{ID: message.LocationPath, Value: []byte("rd")}, message.Option{ID: message.LocationPath, Value: []byte("n1")})
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

	m := provisioned(t, "ep-nosec", model.Security{URI: "coap://" + pc.LocalAddr().String(), Mode: modeNoSec}, 30*time.Second)
	r := start(t, Options{Model: m})
	select {
	case g := <-got:
		if !strings.HasPrefix(g, "POST rd ep=ep-nosec&lt=30&lwm2m=1.1&b=U") {
			t.Fatalf("NoSec server got %q", g)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no Register over NoSec")
	}
	r.registered(t)
	if h := r.c.Status().LastHandshake; h != nil {
		t.Fatalf("NoSec reported a DTLS handshake: %+v", h)
	}
	_ = r.stop(t)
	if g := <-got; g != "DELETE rd/n1 " {
		t.Fatalf("NoSec De-register %q", g)
	}
}

func TestHandshakeTimeoutRetriesAndCancelIsPrompt(t *testing.T) {
	// A server that never answers: each handshake ends at HandshakeTimeout
	// and is retried; cancelling mid-handshake returns at once.
	silent, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	sec := model.Security{URI: "coaps://" + silent.LocalAddr().String(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second), HandshakeTimeout: 150 * time.Millisecond, FlightInterval: 50 * time.Millisecond, RetryBase: 20 * time.Millisecond})
	waitFor(t, 3*time.Second, "two failed handshakes", func() bool { return len(r.handshakes()) >= 2 })
	for _, h := range r.handshakes()[:2] {
		if h.Err == nil || !strings.Contains(h.Err.Error(), "timed out after 150ms") {
			t.Fatalf("handshake error %v, want the timeout", h.Err)
		}
	}
	time.Sleep(60 * time.Millisecond) // most likely inside a handshake now
	if err := r.stop(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if r.stopped > 100*time.Millisecond {
		t.Errorf("Run took %s to return after cancel", r.stopped)
	}
	noClientGoroutines(t)
}

func TestRunWithoutAnyAccountFails(t *testing.T) {
	m := model.New("ep", "1.1")
	c, err := New(Options{Model: m})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no LwM2M server account and no bootstrap server") {
		t.Fatalf("Run: %v", err)
	}
}

func TestUpdateCarriesObjectLinksWhenInstancesChange(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	m := provisioned(t, "ep", sec, 30*time.Second)
	r := start(t, Options{Model: m})
	srv.next("register", 5*time.Second)
	r.registered(t)
	if err := m.PutServer(model.Server{Instance: 5, ShortServerID: 555, Lifetime: time.Minute}); err != nil {
		t.Fatal(err)
	}
	ev := srv.next("update", 3*time.Second)
	if !strings.Contains(ev.payload, "</1/5>") || len(ev.query) != 0 {
		t.Fatalf("Update after a new Server instance: query %v payload %q, want the new object links only", ev.query, ev.payload)
	}
}
