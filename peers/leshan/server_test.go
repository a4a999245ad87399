package leshan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/client/provision"
)

func TestServerStopLeavesNoJVM(t *testing.T) {
	requireJava(t)
	ctx := testCtx(t, 3*time.Minute)
	srv, err := StartServer(ctx, ServerOptions{Mode: ModeProcess, CID: "off"})
	if err != nil {
		t.Fatal(err)
	}
	pid, dir := srv.PID(), filepath.Dir(srv.OutputFile())
	t.Logf("server pid %d started in %s (%s)", pid, srv.StartupTime(), dir)
	if _, err := os.Stat(filepath.Join(dir, "Californium3.server.properties")); err != nil {
		t.Errorf("the peer's working directory has no Californium3.server.properties: %v", err)
	}
	if !strings.Contains(srv.Output(), "server peer ready") || !strings.Contains(srv.Output(), "(cid off)") {
		t.Errorf("output lacks the ready line with cid off:\n%s", srv.Output())
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); !os.IsNotExist(err) {
		t.Fatalf("JVM %d still exists after Stop (stat: %v)", pid, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary working directory %s not removed", dir)
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if srv.Output() == "" {
		t.Error("output gone after Stop")
	}
}

func TestServerSecurityRoundTrip(t *testing.T) {
	srv := sharedServer(t)
	ctx := testCtx(t, time.Minute)
	if err := srv.AddPSK(ctx, "rt-psk", "rt-identity", []byte{0xde, 0xad, 0xbe, 0xef}); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddX509(ctx, "rt-x509"); err != nil {
		t.Fatal(err)
	}
	// Leshan refuses a second endpoint with the same PSK identity.
	err := srv.AddPSK(ctx, "rt-other", "rt-identity", []byte{1})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(he.Body, "rt-identity") {
		t.Errorf("duplicate PSK identity: %v, want HTTP 400 naming the identity", err)
	}
	entries, err := srv.Security(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]SecurityEntry{}
	for _, e := range entries {
		got[e.Endpoint] = e
	}
	if e := got["rt-psk"]; e.Mode != "psk" || e.Identity != "rt-identity" || fmt.Sprintf("%x", e.Key) != "deadbeef" {
		t.Errorf("PSK entry %+v", e)
	}
	if e := got["rt-x509"]; e.Mode != "x509" {
		t.Errorf("X.509 entry %+v", e)
	}
	if err := srv.RemoveSecurity(ctx, "rt-x509"); err != nil {
		t.Fatal(err)
	}
	if entries, _ = srv.Security(ctx); len(entries) != len(got)-1 {
		t.Errorf("after RemoveSecurity: %+v", entries)
	}
	if _, err := srv.Client(ctx, "nobody"); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("Client(nobody) = %v, want ErrNotRegistered", err)
	}
	if _, err := srv.Read(ctx, "nobody", "/3/0"); !errors.As(err, &he) || he.Status != 400 {
		t.Errorf("Read on an unregistered endpoint: %v, want HTTP 400", err)
	}
	if _, err := srv.Read(ctx, "nobody", "3/0"); err == nil || !strings.Contains(err.Error(), "not an LwM2M path") {
		t.Errorf("Read with a bad path: %v", err)
	}
}

// startReference runs the reference client against srv with PSK.
func startReference(t *testing.T, srv *Server, ep string, key []byte, cid bool) (*client.Client, context.CancelFunc) {
	t.Helper()
	s := provision.Defaults()
	s.Endpoint, s.Server, s.PSKIdentity, s.PSKKey, s.Lifetime = ep, srv.CoapsURI(""), ep+"-id", fmt.Sprintf("%x", key), 60*time.Second
	p, err := provision.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{Model: p.Model, ConnectionID: cid, DeregisterTimeout: 2 * time.Second, RetryMax: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return c, stop
}

// recorder keeps every event of a stream, so that a test can wait for
// one regardless of the order events arrive in.
type recorder struct {
	mu     sync.Mutex
	events []Event
	closed bool
}

func record(events <-chan Event) *recorder {
	r := &recorder{}
	go func() {
		for ev := range events {
			r.mu.Lock()
			r.events = append(r.events, ev)
			r.mu.Unlock()
		}
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
	}()
	return r
}

// wait returns the first event of name about ep (ep "" matches any).
func (r *recorder) wait(t *testing.T, ctx context.Context, name, ep string) Event {
	t.Helper()
	for {
		r.mu.Lock()
		for _, ev := range r.events {
			if ev.Name == name && (ep == "" || ev.Endpoint == ep) {
				r.mu.Unlock()
				return ev
			}
		}
		closed := r.closed
		r.mu.Unlock()
		if closed {
			t.Fatalf("event stream closed waiting for %s of %q", name, ep)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s event for %q: %v", name, ep, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestServerRegistrationRoundTrip(t *testing.T) {
	srv := sharedServer(t)
	ctx := testCtx(t, time.Minute)
	stream, err := srv.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := record(stream)
	const ep = "rt-lifecycle"
	key := []byte("0123456789abcdef")
	if err := srv.AddPSK(ctx, ep, ep+"-id", key); err != nil {
		t.Fatal(err)
	}
	_, stop := startReference(t, srv, ep, key, true)

	var reg Registration
	if err := json.Unmarshal(events.wait(t, ctx, EventRegistration, ep).Data, &reg); err != nil {
		t.Fatal(err)
	}
	if !reg.Secure || reg.Lifetime != 60 || reg.LwM2MVersion != "1.1" {
		t.Errorf("registration %+v", reg)
	}
	dtls := events.wait(t, ctx, EventDTLS, "")
	var d DTLSEvent
	_ = json.Unmarshal(dtls.Data, &d)
	if d.Result != "completed" || d.Identity == "" || d.CID == "" {
		t.Errorf("DTLS event %s: want a completed handshake with the PSK identity and a CID", dtls.Data)
	}

	raw, err := srv.Read(ctx, ep, "/3/0")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := ParseNode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := dev.Resource(0); !ok || r.Text() == "" {
		t.Errorf("/3/0/0 manufacturer missing in %s", raw)
	}

	if err := srv.Observe(ctx, ep, "/1/0/1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Write(ctx, ep, "/1/0/1", 120); err != nil {
		t.Fatal(err)
	}
	var up RegistrationUpdate
	if err := json.Unmarshal(events.wait(t, ctx, EventUpdated, ep).Data, &up); err != nil {
		t.Fatal(err)
	}
	if up.Update.Lifetime == nil || *up.Update.Lifetime != 120 || up.Registration.Lifetime != 120 {
		t.Errorf("update after writing the lifetime: %+v", up)
	}
	var n Notification
	if err := json.Unmarshal(events.wait(t, ctx, EventNotification, ep).Data, &n); err != nil {
		t.Fatal(err)
	}
	if node, _ := ParseNode(n.Value); n.Path != "/1/0/1" || node.Text() != "120" {
		t.Errorf("notification %+v", n)
	}

	stop()
	events.wait(t, ctx, EventDeregistration, ep)
	if _, err := srv.Client(ctx, ep); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("after De-register: %v", err)
	}
}
