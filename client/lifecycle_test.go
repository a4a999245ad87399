package client

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
)

var testPSK = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}

// provisioned returns a factory-bootstrapped model with one server
// account (Security /0/0 as given, Server /1/0 with SSID 101).
func provisioned(t *testing.T, ep string, sec model.Security, lifetime time.Duration) *model.Model {
	t.Helper()
	m := model.New(ep, "1.1")
	sec.ShortServerID = 101
	if err := m.PutSecurity(sec); err != nil {
		t.Fatal(err)
	}
	if err := m.PutServer(model.Server{Instance: 0, ShortServerID: 101, Lifetime: lifetime, Binding: "U"}); err != nil {
		t.Fatal(err)
	}
	return m
}

// running is a client started by start, stopped by stop.
type running struct {
	c       *Client
	cancel  context.CancelFunc
	done    chan error
	mu      sync.Mutex
	hs      []HandshakeInfo
	stopped time.Duration
}

func (r *running) handshakes() []HandshakeInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]HandshakeInfo(nil), r.hs...)
}

func start(t *testing.T, opts Options) *running {
	t.Helper()
	r := &running{done: make(chan error, 1)}
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 50 * time.Millisecond
	}
	opts.OnHandshake = func(h HandshakeInfo) {
		r.mu.Lock()
		r.hs = append(r.hs, h)
		r.mu.Unlock()
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- c.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and returns its error; it fails the test if Run does
// not return within a second.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	if r.cancel == nil {
		return nil
	}
	begin := time.Now()
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		r.stopped = time.Since(begin)
		return err
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1 s of cancel")
	}
	return nil
}

// registered waits until the client has the registration location (the
// server sees the Register before the client sees the answer).
func (r *running) registered(t *testing.T) {
	t.Helper()
	waitFor(t, 5*time.Second, "the client to be registered", func() bool { return len(r.c.Status().Registered) > 0 })
}

// exerciseServer drives one registered client through the device
// management interface: Read, Write, Execute, Observe.
func exerciseServer(t *testing.T, srv *testServer, m *model.Model) {
	t.Helper()
	cc := srv.conn(5 * time.Second)

	// Read /3/0 as SenML JSON and as TLV; decode with the lwm2m package.
	for _, f := range []message.MediaType{message.AppSenmlJSON, message.AppLwm2mTLV} {
		code, cf, body := request(t, cc, codes.GET, "/3/0", 0, nil, withAccept(f))
		if code != codes.Content || cf != f {
			t.Fatalf("Read /3/0 as %v: %v %v", f, code, cf)
		}
		recs, err := lwm2m.Decode(f, lwm2m.NewPath(3, 0), body, lwm2m.KindOf)
		if err != nil {
			t.Fatalf("decode %v: %v", f, err)
		}
		if got := valueAt(recs, lwm2m.NewPath(3, 0, 0)); got != "lwm2m-conform" {
			t.Fatalf("Read /3/0 (%v): manufacturer %q, records %v", f, got, recs)
		}
	}

	// Write the lifetime: the client must send an Update with the new lt.
	if code, _, _ := request(t, cc, codes.PUT, "/1/0/1", message.TextPlain, []byte("45")); code != codes.Changed {
		t.Fatalf("Write /1/0/1: %v", code)
	}
	if ev := srv.next("update", 3*time.Second); ev.query["lt"] != "45" {
		t.Fatalf("Update after lifetime write: query %v, want lt=45", ev.query)
	}

	// Registration Update Trigger: an Update follows.
	if code, _, _ := request(t, cc, codes.POST, "/1/0/8", 0, nil); code != codes.Changed {
		t.Fatalf("Execute /1/0/8: %v", code)
	}
	if ev := srv.next("update", 3*time.Second); len(ev.query) != 0 || ev.payload != "" {
		t.Fatalf("Update after trigger carries %v %q, want no parameters", ev.query, ev.payload)
	}

	// Observe the current time with pmax=1: notifications must arrive.
	if code, _, _ := request(t, cc, codes.PUT, "/3/0/13", 0, nil, withQuery("pmax=1")); code != codes.Changed {
		t.Fatalf("Write-Attributes /3/0/13?pmax=1: %v", code)
	}
	got := make(chan string, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	obs, err := cc.Observe(ctx, "/3/0/13", func(n *pool.Message) {
		if n.Code() != codes.Content {
			return
		}
		b, _ := n.ReadBody()
		got <- string(b)
	})
	if err != nil {
		t.Fatalf("Observe /3/0/13: %v", err)
	}
	for i := 0; i < 2; i++ { // the initial response, then a notification
		select {
		case <-got:
		case <-time.After(3 * time.Second):
			t.Fatalf("observation of /3/0/13: %d message(s), want 2 within 3 s", i)
		}
	}
	_ = obs.Cancel(ctx)
}

func valueAt(recs []lwm2m.Record, p lwm2m.Path) string {
	for _, r := range recs {
		if r.Path == p {
			return r.Value.String()
		}
	}
	return ""
}

// checkRegister asserts the Register parameters and payload.
func checkRegister(t *testing.T, ev lwEvent, m *model.Model, ep string, lt string) {
	t.Helper()
	want := map[string]string{"ep": ep, "lt": lt, "lwm2m": "1.1", "b": "U"}
	for k, v := range want {
		if ev.query[k] != v {
			t.Errorf("Register %s=%q, want %q (query %v)", k, ev.query[k], v, ev.query)
		}
	}
	if len(ev.query) != len(want) {
		t.Errorf("Register query %v has extra parameters", ev.query)
	}
	if wantLinks := lwm2m.FormatLinks(m.ObjectLinks()); ev.payload != wantLinks {
		t.Errorf("Register payload %q, want %q", ev.payload, wantLinks)
	}
	for _, l := range []string{"</1/0>", "</3/0>"} {
		if !strings.Contains(ev.payload, l) {
			t.Errorf("Register payload %q lacks %s", ev.payload, l)
		}
	}
	if strings.Contains(ev.payload, "</0") {
		t.Errorf("Register payload %q lists the Security object", ev.payload)
	}
}

// noClientGoroutines fails if goroutines of this package's Run remain.
func noClientGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(500 * time.Millisecond)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		var left []string
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "lwm2m-conform/client.(*") && !strings.Contains(g, "_test.go") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d client goroutine(s) left after Run returned:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLifecyclePSK(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep-psk", pskKey: testPSK})
	m := provisioned(t, "ep-psk", model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep-psk"), SecretKey: testPSK}, 30*time.Second)
	r := start(t, Options{Model: m})

	checkRegister(t, srv.next("register", 5*time.Second), m, "ep-psk", "30")
	exerciseServer(t, srv, m)

	st := r.c.Status()
	if st.Registered[101] == "" {
		t.Fatalf("Status().Registered = %v, want ssid 101", st.Registered)
	}
	if st.LastHandshake == nil || st.LastHandshake.CipherSuiteID != 0xC0A8 || !st.LastHandshake.Validated {
		t.Fatalf("LastHandshake = %+v, want TLS_PSK_WITH_AES_128_CCM_8, validated", st.LastHandshake)
	}
	if err := r.stop(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	ev := srv.next("deregister", time.Second)
	if ev.path != st.Registered[101] {
		t.Fatalf("De-register %s, want %s", ev.path, st.Registered[101])
	}
	t.Logf("Run returned %s after cancel (De-register round trip included)", r.stopped)
	if r.stopped > 100*time.Millisecond {
		t.Errorf("Run took %s to return after cancel, want < 100 ms", r.stopped)
	}
	noClientGoroutines(t)
}

func TestLifecycleCertificateDANEEE(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	srv := startServer(t, serverSetup{cert: &srvCert})
	usage := 3
	m := provisioned(t, "ep-cert", model.Security{
		URI: srv.uri(), Mode: modeCert,
		PublicKeyOrIdentity: pki.client.cert.Raw, SecretKey: pki.client.pkcs8(t),
		ServerPublicKey: pki.server.cert.Raw, CertUsage: &usage,
	}, 30*time.Second)
	r := start(t, Options{Model: m})

	checkRegister(t, srv.next("register", 5*time.Second), m, "ep-cert", "30")
	exerciseServer(t, srv, m)

	hs := r.handshakes()
	if len(hs) != 1 || hs[0].Err != nil || !hs[0].Validated || hs[0].Rule != "dane-ee/ok" {
		t.Fatalf("handshakes = %+v, want one validated by dane-ee/ok", hs)
	}
	if hs[0].CipherSuiteID != 0xC0AE {
		t.Errorf("chosen suite %s, want TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (first offered)", hs[0].CipherSuite)
	}
	if err := r.stop(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	srv.next("deregister", time.Second)
	if len(r.c.Status().Warnings) != 0 {
		t.Errorf("warnings %v, want none", r.c.Status().Warnings)
	}
	noClientGoroutines(t)
}
