package client

import (
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// splitFlightChain is a server chain (leaf, intermediate, root) too long to
// share a datagram with the ServerHello: the server's flight spans several
// datagrams, the condition that stalled pion's client with a session store.
func splitFlightChain(t *testing.T) (tls.Certificate, testPKI) {
	t.Helper()
	pki := newTestPKI(t)
	inter := issueCert(t, certSpec{cn: "test intermediate CA", ca: true}, &pki.ca)
	leaf := issueCert(t, certSpec{cn: "localhost", dns: []string{"localhost"}, ips: []net.IP{net.IPv4(127, 0, 0, 1)}}, &inter)
	pki.server = leaf
	return tls.Certificate{
		Certificate: [][]byte{leaf.cert.Raw, inter.cert.Raw, pki.ca.cert.Raw},
		PrivateKey:  leaf.key,
		Leaf:        leaf.cert,
	}, pki
}

func startHarnessServer(t *testing.T, addr string, cert *tls.Certificate) (*servers.LwM2M, *events.Log) {
	t.Helper()
	log := events.NewLog()
	s, err := servers.StartLwM2M(t.Context(), servers.Config{
		Addr:   addr,
		DTLS:   &servers.DTLS{Certificate: cert, SessionResumption: true, FlightInterval: 200 * time.Millisecond},
		Events: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, log
}

// serverHandshake is the server's view of its n-th handshake: whether it
// resumed, and the messages of the first datagram of its flight.
func serverHandshake(t *testing.T, log *events.Log, n int) (resumed, firstDatagram string) {
	t.Helper()
	session := fmt.Sprintf("s%d", n)
	waitFor(t, 2*time.Second, "the server's HandshakeDone on "+session, func() bool {
		for _, e := range log.Events() {
			if e.Kind == events.HandshakeDone && e.Fields["session"] == session {
				resumed = e.Fields["resumed"]
				return true
			}
		}
		return false
	})
	for _, e := range log.Events() {
		if e.Kind == events.Note && e.Fields["what"] == "server_flight" && e.Fields["session"] == session {
			return resumed, e.Fields["messages"]
		}
	}
	t.Fatalf("no server flight recorded on %s", session)
	return "", ""
}

// runOnce starts the client on the state file, waits for its registration
// and stops it; it returns the client's handshakes.
func runOnce(t *testing.T, opts Options) []HandshakeInfo {
	t.Helper()
	r := start(t, opts)
	r.registered(t)
	_ = r.stop(t)
	return r.handshakes()
}

// TestCertificateResumptionAgainstHarnessServer runs the client against the
// harness server with session resumption on and a chain that splits the
// server's flight: a full handshake, a resumed one after a restart with the
// state file, and a full one when a new server no longer knows the session.
func TestCertificateResumptionAgainstHarnessServer(t *testing.T) {
	cert, pki := splitFlightChain(t)
	srv, log := startHarnessServer(t, "127.0.0.1:0", &cert)
	uri := fmt.Sprintf("coaps://localhost:%d", srv.Addr().Port)
	state := filepath.Join(t.TempDir(), "client.state")
	opts := func() Options {
		return Options{
			Model:            provisioned(t, "ep-cert-res", certAccount(t, pki, uri, intp(3), pki.server.cert.Raw), 30*time.Second),
			StateFile:        state,
			FlightInterval:   200 * time.Millisecond,
			HandshakeTimeout: 3 * time.Second,
		}
	}

	// Full handshake: the ServerHello (with a new session_id) and the
	// ServerHelloDone travel in different datagrams.
	hs := runOnce(t, opts())
	if len(hs) != 1 || hs[0].Err != nil || hs[0].Resumed || !hs[0].Validated {
		t.Fatalf("first run handshakes %+v, want one full, validated handshake", hs)
	}
	resumed, first := serverHandshake(t, log, 1)
	if resumed != "false" || !strings.HasPrefix(first, "server_hello") || strings.Contains(first, "server_hello_done") {
		t.Fatalf("server side: resumed=%s, first datagram %q; the test needs a full flight split over datagrams", resumed, first)
	}

	// Restart with the state file: the session is resumed.
	hs = runOnce(t, opts())
	if len(hs) != 1 || hs[0].Err != nil || !hs[0].Resumed || !hs[0].Validated || hs[0].Rule != "resumed" {
		t.Fatalf("second run handshakes %+v, want one resumed handshake", hs)
	}
	if resumed, first = serverHandshake(t, log, 2); resumed != "true" || first != "server_hello" {
		t.Fatalf("server side: resumed=%s, flight %q, want an abbreviated handshake", resumed, first)
	}

	// A new server on the same address has lost the session: it declines
	// the offered one and the full, split flight must still be taken.
	addr := srv.Addr().String()
	_ = srv.Close()
	_, log = startHarnessServer(t, addr, &cert)
	hs = runOnce(t, opts())
	if len(hs) != 1 || hs[0].Err != nil || hs[0].Resumed || !hs[0].Validated {
		t.Fatalf("third run handshakes %+v, want one full, validated handshake", hs)
	}
	if resumed, _ = serverHandshake(t, log, 1); resumed != "false" {
		t.Fatalf("new server resumed=%s, want a full handshake", resumed)
	}
}
