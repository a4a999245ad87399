package runner

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/est"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// estEv is an EST exchange as the EST server records it.
func estEv(ms int, f map[string]string) events.Event {
	f["what"], f[harnessPeer] = "est", peerBootstrap
	if f["method"] == "" {
		f["method"] = map[string]string{"crts": "GET", "discovery": "GET"}[f["op"]]
		if f["method"] == "" {
			f["method"] = "POST"
		}
	}
	return events.Event{Time: at(ms), Kind: events.Request, Summary: "EST " + f["op"], Fields: f}
}

func finishEv(ms int) events.Event {
	return events.Event{Time: at(ms), Kind: events.BootstrapDone, Fields: map[string]string{"code": "2.04", harnessPeer: peerBootstrap}}
}

func verdicts(cs []verdict.Check) string {
	var b []string
	for _, c := range cs {
		b = append(b, c.Name+"="+string(c.Verdict))
	}
	return strings.Join(b, " ")
}

func estCase(checks ...string) catalog.Case {
	return catalog.Case{ID: "est/x", EST: &catalog.EST{Checks: checks}}
}

// Seed 002 §10.3.3.1: only sren may come before Bootstrap-Finish.
func TestCheckESTOrder(t *testing.T) {
	c := estCase("order")
	good := []events.Event{finishEv(100), estEv(200, map[string]string{"op": "crts", "code": "2.05"}), estEv(300, map[string]string{"op": "sen", "code": "2.04"})}
	if got := verdicts(estChecks(c, good)); got != "est-order=PASS" {
		t.Errorf("after Finish: %s", got)
	}
	early := []events.Event{estEv(50, map[string]string{"op": "crts", "code": "2.05", "path": "/.well-known/est/crts"}), finishEv(100)}
	cs := estChecks(c, early)
	if verdicts(cs) != "est-order=FAIL" || cs[0].Message != "-50ms GET /.well-known/est/crts before Bootstrap-Finish" {
		t.Errorf("before Finish: %+v", cs)
	}
	sren := []events.Event{estEv(50, map[string]string{"op": "sren", "code": "2.04"}), finishEv(100)}
	if got := verdicts(estChecks(c, sren)); got != "est-order=PASS" {
		t.Errorf("sren before Finish: %s", got)
	}
}

// RFC 9148 §4.3 and seed 004: the CSR's form, key, signature and CN.
func TestCheckCSR(t *testing.T) {
	c := estCase("csr")
	base := func(mod map[string]string) []events.Event {
		f := map[string]string{"op": "sen", "code": "2.04", "type": "CON", "ct": "286", "path": "/.well-known/est/sen",
			"csr": "MIIB", "csr_key": "P-256", "csr_sig": "ECDSA-SHA256", "csr_cn": "conform.est.x"}
		for k, v := range mod {
			f[k] = v
		}
		return []events.Event{estEv(10, f)}
	}
	for name, tc := range map[string]struct {
		mod  map[string]string
		want string
	}{
		"conforming":   {nil, "est-csr=PASS est-csr-key=PASS est-csr-cn=PASS"},
		"text/plain":   {map[string]string{"ct": "0"}, "est-csr=FAIL est-csr-key=PASS est-csr-cn=PASS"},
		"NON":          {map[string]string{"type": "NON"}, "est-csr=WARN est-csr-key=PASS est-csr-cn=PASS"},
		"RSA":          {map[string]string{"csr_key": "rsa.PublicKey", "csr_sig": "SHA256-RSA"}, "est-csr=PASS est-csr-key=FAIL est-csr-cn=PASS"},
		"other CN":     {map[string]string{"csr_cn": "device-1"}, "est-csr=PASS est-csr-key=PASS est-csr-cn=WARN"},
		"bad CSR 4.00": {map[string]string{"code": "4.00", "csr_key": "", "error": "CSR signature does not verify"}, "est-csr=FAIL"},
	} {
		if got := verdicts(estChecks(c, base(tc.mod))); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
	}
}

// RFC 9148 §4.7: after 5.03 wait Max-Age and resend the identical CSR.
func TestCheckRetry(t *testing.T) {
	c := estCase("retry")
	evs := func(wait int, csr2 string) []events.Event {
		return []events.Event{
			estEv(0, map[string]string{"op": "sen", "code": "5.03", "max_age": "2", "csr": "AAAA", "fault": "retry-later"}),
			estEv(wait, map[string]string{"op": "sen", "code": "2.04", "csr": csr2}),
		}
	}
	for name, tc := range map[string]struct {
		evs  []events.Event
		want string
	}{
		"after Max-Age, same CSR": {evs(2010, "AAAA"), "est-retry-wait=PASS est-retry-csr=PASS"},
		"too early":               {evs(500, "AAAA"), "est-retry-wait=WARN est-retry-csr=PASS"},
		"another CSR":             {evs(2100, "BBBB"), "est-retry-wait=PASS est-retry-csr=WARN"},
		"never again":             {evs(0, "")[:1], "est-retry-wait=FAIL"},
	} {
		if got := verdicts(estChecks(c, tc.evs)); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
	}
}

// RFC 9148 §4.6: every block of a sliced answer is fetched.
func TestCheckBlock2(t *testing.T) {
	c := estCase("block2")
	all := []events.Event{
		estEv(0, map[string]string{"op": "crts", "code": "2.05", "resp_block2": "0/1/64"}),
		estEv(1, map[string]string{"op": "crts", "code": "2.05", "resp_block2": "1/0/64"}),
	}
	if cs := estChecks(c, all); verdicts(cs) != "est-block2=PASS" || !strings.Contains(cs[0].Message, "/crts in 64-byte blocks") {
		t.Errorf("all blocks: %+v", cs)
	}
	if got := verdicts(estChecks(c, all[:1])); got != "est-block2=FAIL" {
		t.Errorf("first block only: %s", got)
	}
}

// issued builds a certificate and the good sen event that issued it.
func issuedEv(t *testing.T, ms int, op string, validity time.Duration, fields map[string]string) (events.Event, *x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	ca, err := est.NewCA("checks test CA", func() time.Time { return at(ms) })
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "conform.est.x"}, DNSNames: []string{"dev.example"}}, key)
	csr, _ := x509.ParseCertificateRequest(der)
	cert, err := ca.IssueClient(csr, key.Public(), validity)
	if err != nil {
		t.Fatal(err)
	}
	f := map[string]string{"op": op, "code": "2.04", "issued": base64.StdEncoding.EncodeToString(cert.Raw), "serial": cert.SerialNumber.Text(16)}
	for k, v := range fields {
		f[k] = v
	}
	return estEv(ms, f), cert, key
}

// Seed 002 §10.3.3.1 (timing), RFC 7030 §4.2.2 (Subject, SAN) and §3.3.2
// (the certificate being renewed in the handshake).
func TestCheckSren(t *testing.T) {
	c := estCase("sren-timing", "sren-subject", "sren-auth", "sren-key")
	sen, cert, _ := issuedEv(t, 0, "sen", 10*time.Second, nil)
	due := srenDue(issuance{ev: sen, cert: cert})
	if got := due.Sub(at(0)); got != 9*time.Second {
		t.Fatalf("due %s after provisioning, want 9s for a 10 s certificate", got)
	}
	spki := base64.StdEncoding.EncodeToString(cert.RawSubjectPublicKeyInfo)
	sren := func(ms int, f map[string]string) events.Event {
		e, _, _ := issuedEv(t, ms, "sren", 10*time.Second, f)
		return e
	}
	right := map[string]string{"csr_subject": "CN=conform.est.x", "csr_san": "DNS:dev.example", "peer_serial": cert.SerialNumber.Text(16), "csr_spki": spki}
	if got := verdicts(estChecks(c, []events.Event{sen, sren(9100, right)})); got != "est-sren-timing=PASS est-sren-subject=PASS est-sren-auth=PASS est-sren-key=INFO" {
		t.Errorf("conforming sren: %s", got)
	}
	wrong := map[string]string{"csr_subject": "CN=other", "csr_san": "", "peer_serial": "abc", "peer_subject": "CN=bootstrap"}
	cs := estChecks(c, []events.Event{sen, sren(4000, wrong)})
	if got := verdicts(cs); got != "est-sren-timing=FAIL est-sren-subject=FAIL est-sren-auth=WARN est-sren-key=INFO" {
		t.Errorf("early, renamed, bootstrap certificate: %s", got)
	}
	if !strings.Contains(cs[0].Message, "due at 9s") || !strings.Contains(cs[3].Message, "new key") {
		t.Errorf("messages: %q / %q", cs[0].Message, cs[3].Message)
	}
	if got := verdicts(estChecks(c, []events.Event{sen})); got != "est-sren-timing=FAIL est-sren-subject=SKIP est-sren-auth=SKIP est-sren-key=SKIP" {
		t.Errorf("no sren: %s", got)
	}
}

// Seed 002 §10.3.3.2: no new crts or sen after a restart.
func TestCheckNoNewEnroll(t *testing.T) {
	c := estCase("no-new-enroll")
	marker := events.Event{Time: at(500), Kind: events.Note, Fields: map[string]string{"what": "scenario", harnessPeer: peerLwM2M}}
	before := estEv(100, map[string]string{"op": "sen", "code": "2.04"})
	if got := verdicts(estChecks(c, []events.Event{before, marker})); got != "est-no-new-enroll=PASS" {
		t.Errorf("kept: %s", got)
	}
	again := estEv(600, map[string]string{"op": "sen", "code": "2.04"})
	if got := verdicts(estChecks(c, []events.Event{before, marker, again})); got != "est-no-new-enroll=FAIL" {
		t.Errorf("enrolled again: %s", got)
	}
}

// The seed's key rule: a CSR carrying the bootstrap key fails.
func TestCheckFreshKey(t *testing.T) {
	c := estCase("fresh-key")
	_, boot, _ := issuedEv(t, 0, "sen", time.Hour, nil)
	hd := events.Event{Kind: events.HandshakeDone, Fields: map[string]string{"session": "s1", harnessPeer: peerBootstrap,
		"peer_chain": base64.StdEncoding.EncodeToString(boot.Raw)}}
	with := func(spki []byte) []events.Event {
		return []events.Event{hd, estEv(10, map[string]string{"op": "sen", "code": "2.04", "session": "s1", "csr": "x",
			"csr_spki": base64.StdEncoding.EncodeToString(spki)})}
	}
	if got := verdicts(estChecks(c, with(boot.RawSubjectPublicKeyInfo))); got != "est-fresh-key=FAIL" {
		t.Errorf("bootstrap key enrolled: %s", got)
	}
	if got := verdicts(estChecks(c, with([]byte("other")))); got != "est-fresh-key=PASS" {
		t.Errorf("fresh key: %s", got)
	}
}
