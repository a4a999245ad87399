package servers

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func cidClientConfig() *dtls.Config {
	cfg := pskClientConfig("dev1")
	cfg.ConnectionIDGenerator = dtls.OnlySendCIDGenerator()
	return cfg
}

func TestConnectionIDSurvivesRebinding(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, func(c *Config) { c.DTLS.ConnectionID = true })
	ctx := testCtx(t, 10*time.Second)
	c, err := dialDTLS(ctx, s.Addr(), cidClientConfig(), newFakeDevice().handle)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	hello := waitEvent(t, log, events.ClientHello, time.Second, nil)
	if !hello.Hello.ConnectionID || hello.Fields["cid_offered"] != "true" {
		t.Errorf("ClientHello without connection_id: %+v", hello.Hello)
	}
	done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(done.Fields["cid"]) {
		t.Fatalf("negotiated cid %q", done.Fields["cid"])
	}
	loc, err := c.register(ctx, "dev1", registerLinks)
	if err != nil {
		t.Fatal(err)
	}

	// The NAT forgets the mapping: the next record comes from a new port.
	moved, err := c.sock.rebind()
	if err != nil {
		t.Fatal(err)
	}
	if code, err := c.post(ctx, "/"+loc, "", "lt=120"); err != nil || code != codes.Changed {
		t.Fatalf("Update after rebinding: %v %v\n%s", code, err, timeline(log))
	}
	up := waitEvent(t, log, events.Update, time.Second, nil)
	if up.Fields["remote"] != moved.String() || up.Fields["session"] != "s1" {
		t.Errorf("Update fields %v, want remote %s on session s1", up.Fields, moved)
	}
	// Server-initiated traffic follows the client to its new address.
	if _, err := s.Read(ctx, "dev1", lwm2m.NewPath(3, 0, 0), 0); err != nil {
		t.Fatalf("Read after rebinding: %v", err)
	}
	if n := len(eventsOf(log, events.HandshakeDone)); n != 1 {
		t.Errorf("%d handshakes, want the session kept", n)
	}
}

func TestWithoutConnectionIDRebindingLosesSession(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, func(c *Config) { c.Verbose = true })
	ctx := testCtx(t, 10*time.Second)
	c, err := dialDTLS(ctx, s.Addr(), cidClientConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)
	if done.Fields["cid"] != "" {
		t.Fatalf("server without ConnectionID negotiated %q", done.Fields["cid"])
	}
	loc, err := c.register(ctx, "dev1", registerLinks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.sock.rebind(); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if code, err := c.post(short, "/"+loc, "", "lt=120"); err == nil {
		t.Fatalf("Update from a new port without CID answered %v", code)
	}
	if _, ok := log.First(events.Update); ok {
		t.Error("Update recorded for a datagram no session owns")
	}
	waitEvent(t, log, events.Note, time.Second, func(e events.Event) bool {
		return regexp.MustCompile(`matches no session`).MatchString(e.Summary)
	})
}

func TestSessionResumption(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, func(c *Config) { c.DTLS.SessionResumption = true })
	store := newMemorySessionStore() // the client's side
	for i, wantResumed := range []string{"false", "true"} {
		cfg := pskClientConfig("dev1")
		cfg.SessionStore = store
		ctx := testCtx(t, 5*time.Second)
		c, err := dialDTLS(ctx, s.Addr(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Register first: closing at once can beat the server's own
		// end of the handshake.
		if _, err := c.register(ctx, "dev1", registerLinks); err != nil {
			t.Fatal(err)
		}
		c.close()
		done := waitEvent(t, log, events.HandshakeDone, time.Second, func(e events.Event) bool {
			return e.Fields["session"] == []string{"s1", "s2"}[i]
		})
		if done.Fields["resumed"] != wantResumed {
			t.Errorf("handshake %d resumed=%s, want %s", i+1, done.Fields["resumed"], wantResumed)
		}
	}
	// The abbreviated handshake sent no Certificate/ServerHelloDone.
	flights := 0
	for _, e := range eventsOf(log, events.Note) {
		if e.Fields["what"] == "server_flight" && e.Fields["session"] == "s2" {
			flights++
			if e.Fields["messages"] != "server_hello" {
				t.Errorf("resumed flight %q", e.Fields["messages"])
			}
		}
	}
	if flights != 1 {
		t.Errorf("%d server flights on the resumed session", flights)
	}
}
