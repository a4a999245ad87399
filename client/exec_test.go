package client

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

func TestRebootReconnectsAndRegistersAgain(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second)})
	srv.next("register", 5*time.Second)
	r.registered(t)
	cc := srv.conn(time.Second)
	if code, _, _ := request(t, cc, codes.POST, "/3/0/4", 0, nil); code != codes.Changed {
		t.Fatalf("Execute /3/0/4: %v", code)
	}
	// A reboot does not De-register: the next event is a new Register
	// on a new connection.
	srv.next("register", 5*time.Second)
	srv.conn(time.Second)
	if n := len(r.handshakes()); n != 2 {
		t.Fatalf("%d handshakes, want 2", n)
	}
}

func TestDisableDeregistersForDisableTimeout(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	m := model.New("ep", "1.1")
	if err := m.PutSecurity(model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK, ShortServerID: 7}); err != nil {
		t.Fatal(err)
	}
	if err := m.PutServer(model.Server{ShortServerID: 7, Lifetime: 30 * time.Second, DisableTimeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	r := start(t, Options{Model: m})
	srv.next("register", 5*time.Second)
	r.registered(t)
	if code, _, _ := request(t, srv.conn(time.Second), codes.POST, "/1/0/4", 0, nil); code != codes.Changed {
		t.Fatalf("Execute /1/0/4: %v", code)
	}
	off := srv.next("deregister", 3*time.Second)
	on := srv.next("register", 3*time.Second)
	if d := on.at.Sub(off.at); d < 900*time.Millisecond || d > 2*time.Second {
		t.Fatalf("registered again %s after Disable, want about the 1 s Disable Timeout", d)
	}
}

// syncBuffer is a bytes.Buffer safe for pion's writer goroutines.
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

func TestKeyLogWriter(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	var kl syncBuffer
	start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second), KeyLogWriter: &kl})
	srv.next("register", 5*time.Second)
	line := strings.TrimSpace(kl.String())
	f := strings.Fields(line)
	// NSS key log: CLIENT_RANDOM <64 hex> <96 hex master secret>
	if len(f) != 3 || f[0] != "CLIENT_RANDOM" || len(f[1]) != 64 || len(f[2]) != 96 {
		t.Fatalf("key log %q, want one CLIENT_RANDOM line", line)
	}
}
