package est

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/smallstep/pkcs7"
)

func body(t *testing.T, m *pool.Message) []byte {
	t.Helper()
	if m.Body() == nil {
		return nil
	}
	b, err := io.ReadAll(m.Body())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func format(m *pool.Message) message.MediaType {
	cf, err := m.ContentFormat()
	if err != nil {
		return 65535
	}
	return cf
}

func accept(f message.MediaType) message.Option {
	return message.Option{ID: message.Accept, Value: []byte{byte(f >> 8), byte(f)}}
}

// RFC 9148 §4.3: "Content-Format 281 MUST be supported by EST-coaps
// servers"; without an Accept Option the server SHOULD choose 281; with
// Accept 287 a single DER certificate. §4.1: /.well-known/est is the
// default root, the short root comes from discovery; both are served.
func TestCrtsFormatsAndRoots(t *testing.T) {
	r := startRig(t, Config{})
	cc := r.dial(t, false)
	ctx := testCtx(t)

	resp, err := cc.Get(ctx, "/.well-known/est/crts")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code() != codes.Content || format(resp) != FormatPKCS7Certs {
		t.Fatalf("GET /.well-known/est/crts: %v CF %d, want 2.05 CF 281", resp.Code(), format(resp))
	}
	p7, err := pkcs7.Parse(body(t, resp))
	if err != nil || len(p7.Certificates) != 1 || !p7.Certificates[0].Equal(r.ca.Cert) {
		t.Fatalf("281 body: %v, %d certificates; want the case CA", err, len(p7.Certificates))
	}

	resp, err = cc.Get(ctx, "/est/crts", accept(FormatPKIXCert))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code() != codes.Content || format(resp) != FormatPKIXCert || !bytes.Equal(body(t, resp), r.ca.Cert.Raw) {
		t.Fatalf("GET /est/crts Accept 287: %v CF %d; want 2.05 with the CA's DER", resp.Code(), format(resp))
	}

	ev := r.exchanges()
	if len(ev) != 2 {
		t.Fatalf("%d EST events, want 2:\n%s", len(ev), r.timeline())
	}
	want := []map[string]string{
		{"op": "crts", "path": "/.well-known/est/crts", "root": "/.well-known/est", "method": "GET", "code": "2.05", "resp_ct": "281", "discovery_used": "false", "type": "CON", "session": "s1"},
		{"op": "crts", "path": "/est/crts", "root": "/est", "accept": "287", "code": "2.05", "resp_ct": "287"},
	}
	for i, w := range want {
		for k, v := range w {
			if got := ev[i].Fields[k]; got != v {
				t.Errorf("event %d field %s = %q, want %q (%s)", i, k, got, v, ev[i].Summary)
			}
		}
	}
}

// A case may make the server prefer 287 when the client states no
// preference, to check that a client takes both formats (seed 002
// §10.3.2: "supporting both a single raw X.509 certificate and PKCS#7
// cert-only as response payload formats").
func TestServerPrefers287WithoutAccept(t *testing.T) {
	r := startRig(t, Config{Format: FormatPKIXCert})
	resp, err := r.dial(t, false).Get(testCtx(t), "/.well-known/est/crts")
	if err != nil {
		t.Fatal(err)
	}
	if format(resp) != FormatPKIXCert {
		t.Fatalf("CF %d, want 287", format(resp))
	}
	// An Accept the client sends wins.
	resp, err = r.dial(t, false).Get(testCtx(t), "/.well-known/est/crts", accept(FormatPKCS7Certs))
	if err != nil || format(resp) != FormatPKCS7Certs {
		t.Fatalf("Accept 281: CF %d, %v", format(resp), err)
	}
	resp, err = r.dial(t, false).Get(testCtx(t), "/.well-known/est/crts", accept(message.TextPlain))
	if err != nil || resp.Code() != codes.NotAcceptable {
		t.Fatalf("Accept 0: %v %v, want 4.06", resp.Code(), err)
	}
	// One operation's format can differ from the others'.
	r = startRig(t, Config{Formats: map[string]message.MediaType{"sen": FormatPKIXCert}})
	resp, err = r.dial(t, false).Get(testCtx(t), "/.well-known/est/crts")
	if err != nil || format(resp) != FormatPKCS7Certs {
		t.Fatalf("crts with a sen override: CF %d, %v", format(resp), err)
	}
	if _, err := New(Config{CA: r.ca, Formats: map[string]message.MediaType{"att": FormatPKIXCert}}); err == nil {
		t.Error("a format for att accepted")
	}
}

// RFC 9148 §4.1: GET /.well-known/core?rt=ace.est* lists the EST
// resources with their content formats; the requests that follow are
// recorded as having used discovery.
func TestDiscovery(t *testing.T) {
	r := startRig(t, Config{})
	cc := r.dial(t, false)
	resp, err := cc.Get(testCtx(t), "/.well-known/core", message.Option{ID: message.URIQuery, Value: []byte("rt=ace.est*")})
	if err != nil {
		t.Fatal(err)
	}
	const want = `</est/crts>;rt="ace.est.crts";ct="281 287",</est/sen>;rt="ace.est.sen";ct="281 287",</est/sren>;rt="ace.est.sren";ct="281 287"`
	if resp.Code() != codes.Content || format(resp) != FormatLinkFormat || string(body(t, resp)) != want {
		t.Fatalf("discovery: %v CF %d %q", resp.Code(), format(resp), body(t, resp))
	}
	resp, err = cc.Get(testCtx(t), "/.well-known/core", message.Option{ID: message.URIQuery, Value: []byte("rt=ace.est.sen")})
	if err != nil || string(body(t, resp)) != `</est/sen>;rt="ace.est.sen";ct="281 287"` {
		t.Fatalf("rt=ace.est.sen: %q %v", body(t, resp), err)
	}
	if _, err := cc.Get(testCtx(t), "/est/crts"); err != nil {
		t.Fatal(err)
	}
	ev := r.exchanges()
	if ev[0].Fields["op"] != "discovery" || ev[0].Fields["query"] != "rt=ace.est*" || ev[2].Fields["discovery_used"] != "true" {
		t.Fatalf("events:\n%s", r.timeline())
	}
}

// RFC 7030 §4.2.3 / RFC 9148 §4.1: /sen answers 2.04 with the certificate
// issued for the CSR's key and subject; the case chooses its validity.
func TestSenIssuesForTheCSR(t *testing.T) {
	r := startRig(t, Config{Validity: 10 * time.Second})
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr := newCSR(t, key, rigEndpoint)
	resp, err := r.dial(t, false).Post(testCtx(t), "/.well-known/est/sen", FormatPKCS10, bytes.NewReader(csr))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code() != codes.Changed || format(resp) != FormatPKCS7Certs {
		t.Fatalf("sen: %v CF %d, want 2.04 CF 281", resp.Code(), format(resp))
	}
	p7, err := pkcs7.Parse(body(t, resp))
	if err != nil || len(p7.Certificates) != 1 {
		t.Fatalf("sen body: %v", err)
	}
	cert := p7.Certificates[0]
	if !cert.PublicKey.(*ecdsa.PublicKey).Equal(key.Public()) || cert.Subject.CommonName != rigEndpoint {
		t.Errorf("issued for %v CN %q", cert.PublicKey, cert.Subject.CommonName)
	}
	if d := cert.NotAfter.Sub(cert.NotBefore); d != 10*time.Second {
		t.Errorf("validity %s, want 10s", d)
	}
	if err := cert.CheckSignatureFrom(r.ca.Cert); err != nil {
		t.Errorf("not issued by the case CA: %v", err)
	}
	ev := r.exchanges()
	f := ev[0].Fields
	if f["op"] != "sen" || f["ct"] != "286" || f["code"] != "2.04" || f["csr_cn"] != rigEndpoint || f["csr_key"] != "P-256" ||
		f["csr_sig"] != "ECDSA-SHA256" || f["serial"] != cert.SerialNumber.Text(16) || f["peer_serial"] != r.device.Leaf.SerialNumber.Text(16) ||
		f["peer_issued_here"] != "false" {
		t.Fatalf("sen event fields: %v", f)
	}
	iss := r.est.Issued()
	if len(iss) != 1 || !bytes.Equal(iss[0].CSR, csr) || !iss[0].Cert.Equal(cert) || iss[0].Session != "s1" {
		t.Fatalf("Issued: %+v", iss)
	}
}

// RFC 9148 §4.6: servers MUST implement Block2; at the case's block size
// (64 bytes, SZX 2) the client receives the response in blocks, each one
// recorded.
func TestBlock2AtCaseSize(t *testing.T) {
	r := startRig(t, Config{BlockSize: 64})
	cc := r.dial(t, false)
	resp, err := cc.Get(testCtx(t), "/.well-known/est/crts")
	if err != nil {
		t.Fatal(err)
	}
	p7, err := pkcs7.Parse(body(t, resp))
	if err != nil || !p7.Certificates[0].Equal(r.ca.Cert) {
		t.Fatalf("reassembled body: %v", err)
	}
	whole, _ := DegeneratePKCS7([]*x509.Certificate{r.ca.Cert})
	blocks := (len(whole) + 63) / 64
	ev := r.exchanges()
	if len(ev) != blocks {
		t.Fatalf("%d exchanges for a %d-byte body in 64-byte blocks, want %d:\n%s", len(ev), len(whole), blocks, r.timeline())
	}
	if ev[0].Fields["resp_block2"] != "0/1/64" || ev[0].Fields["size2"] == "" || !strings.HasPrefix(ev[1].Fields["block2"], "1/") || !strings.HasSuffix(ev[1].Fields["block2"], "/64") || ev[1].Fields["resp_block2"] != "1/1/64" {
		t.Fatalf("block fields:\n%s", r.timeline())
	}
	last := ev[len(ev)-1].Fields
	if last["resp_block2"] != itoa(blocks-1)+"/0/64" {
		t.Fatalf("last block %q", last["resp_block2"])
	}
}

// RFC 9148 §4.6: servers MUST implement Block1: a CSR sent in 64-byte
// blocks is answered 2.31 Continue until the last block, then enrolled.
func TestBlock1Upload(t *testing.T) {
	r := startRig(t, Config{})
	cc := r.dial(t, false, optBlocks64())
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr := newCSR(t, key, rigEndpoint)
	resp, err := cc.Post(testCtx(t), "/.well-known/est/sen", FormatPKCS10, bytes.NewReader(csr))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code() != codes.Changed {
		t.Fatalf("sen in blocks: %v\n%s", resp.Code(), r.timeline())
	}
	ev := r.exchanges()
	blocks := (len(csr) + 63) / 64
	if len(ev) < blocks {
		t.Fatalf("%d exchanges for %d Block1 blocks:\n%s", len(ev), blocks, r.timeline())
	}
	if ev[0].Fields["block1"] != "0/1/64" || ev[0].Fields["code"] != "2.31" || ev[0].Fields["resp_block1"] != "0/1/64" {
		t.Fatalf("first block: %v", ev[0].Fields)
	}
	final := ev[blocks-1].Fields
	if final["code"] != "2.04" || final["csr_cn"] != rigEndpoint {
		t.Fatalf("last block: %v", final)
	}
}

// RFC 9148 §3: the EST-coaps client authenticates with a certificate; a
// session without one gets 4.01.
func TestSenWithoutClientCertificate(t *testing.T) {
	r := startRigWith(t, Config{}, false)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	resp, err := r.dial(t, true).Post(testCtx(t), "/est/sen", FormatPKCS10, bytes.NewReader(newCSR(t, key, "x")))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code() != codes.Unauthorized {
		t.Fatalf("sen without a client certificate: %v, want 4.01", resp.Code())
	}
}

// Bad requests get a clear error: a CSR that does not parse (4.00 with
// the reason), a body that is not application/pkcs10 (4.15), the wrong
// method (4.05), an optional function this server lacks (4.04).
func TestBadRequests(t *testing.T) {
	r := startRig(t, Config{})
	cc := r.dial(t, false)
	ctx := testCtx(t)
	for _, tc := range []struct {
		name string
		do   func() (*pool.Message, error)
		code codes.Code
		diag string
	}{
		{"garbage CSR", func() (*pool.Message, error) {
			return cc.Post(ctx, "/est/sen", FormatPKCS10, bytes.NewReader([]byte("not a CSR")))
		}, codes.BadRequest, "CSR does not parse"},
		{"CSR as text", func() (*pool.Message, error) {
			return cc.Post(ctx, "/est/sen", message.TextPlain, bytes.NewReader([]byte("x")))
		}, codes.UnsupportedMediaType, "a CSR is application/pkcs10 (286), not 0"},
		{"POST crts", func() (*pool.Message, error) {
			return cc.Post(ctx, "/est/crts", FormatPKCS10, bytes.NewReader([]byte("x")))
		}, codes.MethodNotAllowed, "/crts is GET"},
		{"skg", func() (*pool.Message, error) { return cc.Get(ctx, "/est/skg") }, codes.NotFound, "optional"},
	} {
		resp, err := tc.do()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if resp.Code() != tc.code || !bytes.Contains(body(t, resp), []byte(tc.diag)) {
			t.Errorf("%s: %v %q, want %v with %q", tc.name, resp.Code(), body(t, resp), tc.code, tc.diag)
		}
	}
}

// The mount leaves the bootstrap interface alone: a Bootstrap-Request on
// the same session is the bootstrap server's, and so are the client's
// answers to its requests.
func TestBootstrapBesideEST(t *testing.T) {
	r := startRig(t, Config{})
	cc := r.dial(t, false)
	finished := r.bs.Finished("dev1")
	resp, err := cc.Post(testCtx(t), "/bs", message.TextPlain, nil, message.Option{ID: message.URIQuery, Value: []byte("ep=dev1")})
	if err != nil || resp.Code() != codes.Changed {
		t.Fatalf("Bootstrap-Request: %v %v", resp, err)
	}
	select {
	case <-finished: // the client's answer to Bootstrap-Finish reached the bootstrap server
	case <-time.After(5 * time.Second):
		t.Fatalf("Bootstrap-Finish not answered:\n%s", r.timeline())
	}
	if len(r.exchanges()) != 0 {
		t.Fatalf("the EST server took bootstrap traffic:\n%s", r.timeline())
	}
}
