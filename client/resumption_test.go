package client

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

func pskAccount(uri string) model.Security {
	return model.Security{URI: uri, Mode: modePSK, PublicKeyOrIdentity: []byte("ep-res"), SecretKey: testPSK}
}

// dropConnection makes the server end the client's DTLS connection. pion
// may lose the close_notify (its read loop can close the socket first), so
// the lifetime is short and requests time out fast: the client notices
// either way, reconnects and sends an Update.
func dropConnection(t *testing.T, srv *testServer) {
	t.Helper()
	_ = srv.conn(time.Second).Close()
}

const (
	reconnectLifetime = 2 * time.Second
	reconnectTimeout  = 300 * time.Millisecond
)

func TestResumptionOnReconnect(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep-res", pskKey: testPSK, resumption: true})
	r := start(t, Options{Model: provisioned(t, "ep-res", pskAccount(srv.uri()), reconnectLifetime), RequestTimeout: reconnectTimeout})
	srv.next("register", 5*time.Second)
	r.registered(t)

	// The server drops the connection: the client reconnects, resumes
	// the session and Updates its registration.
	dropConnection(t, srv)
	var ev lwEvent
	waitFor(t, 5*time.Second, "an Update on a second connection", func() bool {
		select {
		case ev = <-srv.events:
		default:
		}
		return ev.kind == "update" && len(r.handshakes()) == 2
	})
	if len(ev.query) != 0 {
		t.Fatalf("Update after reconnect carries %v", ev.query)
	}
	hs := r.handshakes()
	if len(hs) != 2 || hs[0].Resumed || !hs[1].Resumed || hs[1].Err != nil {
		t.Fatalf("handshakes %+v, want a full one then a resumed one", hs)
	}
	if !hs[1].Validated {
		t.Error("resumed PSK handshake not marked validated")
	}
	chs := srv.proxy.clientHellos()
	last := chs[len(chs)-1]
	if len(last.sessionID) == 0 {
		t.Fatal("second ClientHello offers no session ID")
	}
	if len(chs[0].sessionID) != 0 {
		t.Errorf("first ClientHello offers session %x, want none", chs[0].sessionID)
	}
}

func TestResumptionAfterRestartWithStateFile(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep-res", pskKey: testPSK, resumption: true})
	state := filepath.Join(t.TempDir(), "client.state")

	first := start(t, Options{Model: provisioned(t, "ep-res", pskAccount(srv.uri()), 30*time.Second), StateFile: state})
	srv.next("register", 5*time.Second)
	first.registered(t)
	if err := first.stop(t); err == nil {
		t.Fatal("Run returned nil after cancel")
	}
	srv.next("deregister", time.Second)

	fi, err := os.Stat(state)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	var sf stateFile
	raw, _ := os.ReadFile(state)
	if err := json.Unmarshal(raw, &sf); err != nil || len(sf.Sessions) != 1 || len(sf.Model) == 0 {
		t.Fatalf("state file: %v, %d sessions, %d model bytes", err, len(sf.Sessions), len(sf.Model))
	}
	if entries, _ := os.ReadDir(filepath.Dir(state)); len(entries) != 1 {
		t.Fatalf("temporary files left next to the state file: %v", entries)
	}

	// A new process: an empty model, everything restored from the file.
	second := start(t, Options{Model: model.New("ep-res", "1.1"), StateFile: state})
	srv.next("register", 5*time.Second)
	hs := second.handshakes()
	if len(hs) != 1 || !hs[0].Resumed {
		t.Fatalf("handshake after restart %+v, want resumed", hs)
	}
	chs := srv.proxy.clientHellos()
	var stored storedSession
	for _, s := range sf.Sessions {
		stored = s
	}
	if !bytes.Equal(chs[len(chs)-1].sessionID, stored.ID) {
		t.Fatalf("ClientHello after restart offers %x, want the persisted %x", chs[len(chs)-1].sessionID, stored.ID)
	}
}

func TestNoResumptionWhenDisabled(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep-res", pskKey: testPSK, resumption: true})
	r := start(t, Options{Model: provisioned(t, "ep-res", pskAccount(srv.uri()), reconnectLifetime), DisableResumption: true, RequestTimeout: reconnectTimeout})
	srv.next("register", 5*time.Second)
	r.registered(t)
	dropConnection(t, srv)
	waitFor(t, 5*time.Second, "a second handshake", func() bool { return len(r.handshakes()) == 2 })
	for _, h := range r.handshakes() {
		if h.Resumed {
			t.Fatal("resumed with DisableResumption")
		}
	}
	for _, ch := range srv.proxy.clientHellos() {
		if len(ch.sessionID) != 0 {
			t.Fatalf("ClientHello offers session %x with DisableResumption", ch.sessionID)
		}
	}
}

func TestSessionNotResumedUnderOtherSecurityConfig(t *testing.T) {
	// A session created under one certificate usage must not be resumed
	// once the usage changes: an abbreviated handshake skips the check.
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	srv := startServer(t, serverSetup{cert: &srvCert, resumption: true})
	state := filepath.Join(t.TempDir(), "client.state")
	first := start(t, Options{Model: provisioned(t, "ep", certAccount(t, pki, srv.uri(), intp(3), pki.server.cert.Raw), 30*time.Second), StateFile: state})
	srv.next("register", 5*time.Second)
	first.registered(t)
	_ = first.stop(t)
	srv.next("deregister", time.Second)
	_ = os.Remove(state) // keep only the sessions: rewrite with a new model
	raw, _ := json.Marshal(stateFile{Version: stateVersion, Sessions: first.c.sessions.snapshot()})
	if err := os.WriteFile(state, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	second := start(t, Options{Model: provisioned(t, "ep", certAccount(t, pki, srv.uri(), intp(0), pki.ca.cert.Raw), 30*time.Second), StateFile: state, TrustStore: trustOf(pki)})
	srv.next("register", 5*time.Second)
	if h := second.handshakes()[0]; h.Resumed || h.Rule != "pkix-ta/ok" {
		t.Fatalf("handshake %+v, want a full handshake judged by pkix-ta", h)
	}
}
