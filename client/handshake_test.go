package client

import (
	"crypto/x509"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// waitFor polls cond every 10 ms until it holds or within passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// certAccount is a certificate-mode Security instance for srv.
func certAccount(t *testing.T, pki testPKI, uri string, usage *int, spk []byte) model.Security {
	return model.Security{
		URI: uri, Mode: modeCert,
		PublicKeyOrIdentity: pki.client.cert.Raw, SecretKey: pki.client.pkcs8(t),
		ServerPublicKey: spk, CertUsage: usage,
	}
}

func intp(i int) *int { return &i }

func TestRejectedServerGetsBadCertificateAtOnce(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	srv := startServer(t, serverSetup{cert: &srvCert})
	other := issueCert(t, certSpec{cn: "someone else", dns: []string{"localhost"}}, &pki.ca)
	// DANE-EE pinned to another leaf: the presented leaf must be rejected.
	m := provisioned(t, "ep-reject", certAccount(t, pki, srv.uri(), intp(3), other.cert.Raw), 30*time.Second)
	r := start(t, Options{Model: m, RetryBase: 10 * time.Second})

	waitFor(t, 5*time.Second, "the client's alert", func() bool { return len(srv.proxy.alerts()) > 0 })
	a := srv.proxy.alerts()[0]
	if !a.fromClient || a.level != 2 || a.desc != 42 {
		t.Fatalf("first alert %+v, want fatal(2) bad_certificate(42) from the client", a)
	}
	// The delay between the server's flight with its Certificate and the
	// alert is the client's verification time.
	var lastServer time.Time
	for _, d := range srv.proxy.datagrams() {
		if !d.fromClient && d.at.Before(a.at) {
			lastServer = d.at
		}
	}
	delay := a.at.Sub(lastServer)
	t.Logf("bad_certificate sent %s after the server's last flight", delay)
	if delay > 200*time.Millisecond {
		t.Errorf("alert after %s, want well under 1 s", delay)
	}
	hs := r.handshakes()
	if len(hs) == 0 || hs[0].Err == nil || hs[0].Rule != "dane-ee/leaf-differs-from-spk" || !strings.Contains(hs[0].Err.Error(), "rejected") {
		t.Fatalf("handshake info %+v, want a rejection by dane-ee/leaf-differs-from-spk", hs)
	}
	if !errors.Is(hs[0].Err, errServerRejected) {
		t.Errorf("handshake error %v does not wrap errServerRejected", hs[0].Err)
	}
	if len(r.c.Status().Registered) != 0 {
		t.Fatal("client registered with a rejected server")
	}
}

func TestUnvalidatedAcceptWarns(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	srv := startServer(t, serverSetup{cert: &srvCert})
	// Usage unset, no Server Public Key, no trust store: accepted without
	// any validation (seed 001 §5.15.2.3), loudly.
	m := provisioned(t, "ep-unval", certAccount(t, pki, srv.uri(), nil, nil), 30*time.Second)
	r := start(t, Options{Model: m})
	srv.next("register", 5*time.Second)
	st := r.c.Status()
	if st.LastHandshake == nil || st.LastHandshake.Validated {
		t.Fatalf("LastHandshake %+v, want Validated=false", st.LastHandshake)
	}
	if len(st.Warnings) != 1 || !strings.HasPrefix(st.Warnings[0], "SERVER ACCEPTED WITHOUT VALIDATION") {
		t.Fatalf("warnings %q, want one SERVER ACCEPTED WITHOUT VALIDATION", st.Warnings)
	}
}

func TestInsecureModeAcceptsAnyServerLoudly(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	srv := startServer(t, serverSetup{cert: &srvCert})
	other := issueCert(t, certSpec{cn: "someone else"}, &pki.ca)
	m := provisioned(t, "ep-insecure", certAccount(t, pki, srv.uri(), intp(3), other.cert.Raw), 30*time.Second)
	r := start(t, Options{Model: m, InsecureAcceptAnyServer: true})
	srv.next("register", 5*time.Second)
	st := r.c.Status()
	if st.LastHandshake.Validated || st.LastHandshake.Rule != "dane-ee/leaf-differs-from-spk" {
		t.Fatalf("LastHandshake %+v, want unvalidated with the verifier's rejection recorded", st.LastHandshake)
	}
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "insecure mode") {
		t.Fatalf("warnings %q", st.Warnings)
	}
}

func TestSNI(t *testing.T) {
	addrs, err := net.LookupHost("localhost")
	if err != nil || len(addrs) == 0 || addrs[0] != "127.0.0.1" {
		t.Skip("localhost does not resolve to 127.0.0.1 first here")
	}
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	cases := []struct {
		name    string
		host    string // URI host
		sni     string // /0/x/14
		wantSNI string // "" = no SNI extension
	}{
		{"hostname URI", "localhost", "", "localhost"},
		{"IP URI", "127.0.0.1", "", ""},
		{"IP URI with /0/x/14", "127.0.0.1", "lwm2m.example.test", "lwm2m.example.test"},
		{"/0/x/14 set to an IP", "localhost", "127.0.0.1", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, serverSetup{cert: &srvCert})
			uri := strings.Replace(srv.uri(), "127.0.0.1", tc.host, 1)
			sec := certAccount(t, pki, uri, intp(3), pki.server.cert.Raw)
			sec.SNI = tc.sni
			r := start(t, Options{Model: provisioned(t, "ep-sni", sec, 30*time.Second)})
			srv.next("register", 5*time.Second)
			chs := srv.proxy.clientHellos()
			if len(chs) == 0 {
				t.Fatal("no ClientHello captured")
			}
			for _, ch := range chs {
				if ch.hasSNI != (tc.wantSNI != "") || ch.sni != tc.wantSNI {
					t.Fatalf("ClientHello SNI present=%v %q, want %q", ch.hasSNI, ch.sni, tc.wantSNI)
				}
			}
			if got := r.c.Status().LastHandshake.SNI; got != tc.wantSNI {
				t.Errorf("HandshakeInfo.SNI %q, want %q", got, tc.wantSNI)
			}
		})
	}
}

func TestNameCheckUsesReferenceIdentity(t *testing.T) {
	// PKIX with the CA in the trust store: the name checked is /0/x/14
	// when set, else the URI host (an IP literal checks IP SANs).
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	cases := []struct {
		name   string
		sni    string
		accept bool
	}{
		{"URI IP matches IP SAN", "", true},
		{"SNI matches DNS SAN", "lwm2m.example.test", true},
		{"SNI matches no SAN", "other.example.test", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, serverSetup{cert: &srvCert})
			sec := certAccount(t, pki, srv.uri(), intp(0), pki.ca.cert.Raw)
			sec.SNI = tc.sni
			r := start(t, Options{Model: provisioned(t, "ep-name", sec, 30*time.Second), TrustStore: []*x509.Certificate{pki.ca.cert}, RetryBase: 10 * time.Second})
			waitFor(t, 5*time.Second, "a handshake", func() bool { return len(r.handshakes()) > 0 })
			h := r.handshakes()[0]
			if (h.Err == nil) != tc.accept {
				t.Fatalf("handshake %+v, want accept=%v", h, tc.accept)
			}
		})
	}
}

func TestClientHelloOffersExactlyConfiguredSuites(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	cases := []struct {
		name       string
		psk        bool
		configured []uint16
		want       []uint16
	}{
		{"PSK default", true, nil, []uint16{0xC0A8, 0xC0A4, 0x00A8}},
		{"certificate default", false, nil, []uint16{0xC0AE, 0xC0AC, 0xC02B, 0xC02C}},
		// 0x1301 (TLS 1.3) is not a DTLS 1.2 suite pion implements, and
		// a PSK suite cannot serve a certificate account: both dropped.
		{"certificate configured", false, []uint16{0xC02B, 0x1301, 0xC0AE, 0xC0A8}, []uint16{0xC02B, 0xC0AE}},
		{"PSK configured", true, []uint16{0x00A8, 0xC0A8}, []uint16{0x00A8, 0xC0A8}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var srv *testServer
			var sec model.Security
			if tc.psk {
				srv = startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
				sec = model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
			} else {
				srv = startServer(t, serverSetup{cert: &srvCert})
				sec = certAccount(t, pki, srv.uri(), intp(3), pki.server.cert.Raw)
			}
			sec.CipherSuites = tc.configured
			r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second)})
			srv.next("register", 5*time.Second)
			chs := srv.proxy.clientHellos()
			if len(chs) < 2 {
				t.Fatalf("%d ClientHellos, want 2 (before and after HelloVerifyRequest)", len(chs))
			}
			for _, ch := range chs {
				if !reflect.DeepEqual(ch.suites, tc.want) {
					t.Fatalf("ClientHello offers %s, want %s", suiteList(ch.suites), suiteList(tc.want))
				}
			}
			if got := r.c.Status().LastHandshake.Offered; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("HandshakeInfo.Offered %s, want %s", suiteList(got), suiteList(tc.want))
			}
		})
	}
}

func TestNoUsableSuiteIsAFatalError(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK, CipherSuites: []uint16{0xC02B, 0x0005}}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second)})
	select {
	case err := <-r.done:
		r.cancel = nil
		if err == nil || !strings.Contains(err.Error(), "none of the configured cipher suites") {
			t.Fatalf("Run returned %v, want the no-usable-suite error", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run kept going without a usable cipher suite")
	}
	if n := len(srv.proxy.clientHellos()); n != 0 {
		t.Fatalf("%d ClientHellos sent without a usable suite", n)
	}
}

func TestConnectionID(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK, cid: true})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second), ConnectionID: true})
	srv.next("register", 5*time.Second)
	ch := srv.proxy.clientHellos()[0]
	if !ch.hasCID || len(ch.cid) != 0 {
		t.Fatalf("ClientHello CID extension present=%v cid=%x, want present and empty (the client only sends)", ch.hasCID, ch.cid)
	}
	h := r.c.Status().LastHandshake
	if len(h.CID) != 8 {
		t.Fatalf("negotiated CID %x, want the server's 8 bytes", h.CID)
	}
	// After the handshake the client's records carry the CID (tls12_cid).
	cidRecords := 0
	for _, d := range srv.proxy.datagrams() {
		if d.fromClient && len(d.data) > 0 && d.data[0] == recCID {
			cidRecords++
		}
	}
	if cidRecords == 0 {
		t.Fatal("no tls12_cid record from the client")
	}
}

func TestNoConnectionIDUnlessAsked(t *testing.T) {
	srv := startServer(t, serverSetup{pskIdentity: "ep", pskKey: testPSK, cid: true})
	sec := model.Security{URI: srv.uri(), Mode: modePSK, PublicKeyOrIdentity: []byte("ep"), SecretKey: testPSK}
	r := start(t, Options{Model: provisioned(t, "ep", sec, 30*time.Second)})
	srv.next("register", 5*time.Second)
	if srv.proxy.clientHellos()[0].hasCID {
		t.Fatal("ClientHello carries a CID extension without Options.ConnectionID")
	}
	if h := r.c.Status().LastHandshake; len(h.CID) != 0 {
		t.Fatalf("CID %x negotiated without Options.ConnectionID", h.CID)
	}
}
