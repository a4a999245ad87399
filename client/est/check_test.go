package est

import (
	"crypto/ecdsa"
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

// What a careful client refuses before installing an enrolled
// certificate: one for another key, one that chains to a CA /crts did
// not name, an expired one; and a /crts answer without a CA.
func TestCheckIssued(t *testing.T) {
	ca, stranger := testCA(t), testCA(t)
	key, other := mustKey(t), mustKey(t)
	good := issue(t, ca, key, "ep", time.Hour)
	anchors := []*x509.Certificate{ca.Cert}
	now := time.Now()
	got, err := CheckIssued([]*x509.Certificate{good}, key.Public(), anchors, now)
	if err != nil || !got.Equal(good) {
		t.Fatalf("good certificate refused: %v", err)
	}
	// The issued certificate may come with its chain, in any order.
	if got, err := CheckIssued([]*x509.Certificate{ca.Cert, good}, key.Public(), anchors, now); err != nil || !got.Equal(good) {
		t.Fatalf("certificate with its CA refused: %v", err)
	}
	expired, err := ca.IssueClientWindow(csrOf(t, key), key.Public(), now.Add(-2*time.Hour), now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		certs   []*x509.Certificate
		anchors []*x509.Certificate
		want    string
	}{
		"another key":  {[]*x509.Certificate{issue(t, ca, other, "ep", time.Hour)}, anchors, "is for another key than this client's CSR"},
		"unknown CA":   {[]*x509.Certificate{issue(t, stranger, key, "ep", time.Hour)}, anchors, "does not chain to a /crts anchor"},
		"expired":      {[]*x509.Certificate{expired}, anchors, "expired at"},
		"no anchors":   {[]*x509.Certificate{good}, nil, "no trust anchor from /crts"},
		"two, neither": {[]*x509.Certificate{ca.Cert, issue(t, ca, other, "ep", time.Hour)}, anchors, "none of the 2 certificates"},
	} {
		if _, err := CheckIssued(tc.certs, key.Public(), tc.anchors, now); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

func TestAnchors(t *testing.T) {
	ca := testCA(t)
	leaf := issue(t, ca, mustKey(t), "ep", time.Hour)
	got, err := Anchors([]*x509.Certificate{leaf, ca.Cert})
	if err != nil || len(got) != 1 || !got[0].Equal(ca.Cert) {
		t.Fatalf("Anchors: %v %v", got, err)
	}
	if _, err := Anchors([]*x509.Certificate{leaf}); err == nil || !strings.Contains(err.Error(), "no CA certificate") {
		t.Fatalf("a leaf as the only anchor: %v", err)
	}
}

func csrOf(t *testing.T, key *ecdsa.PrivateKey) *x509.CertificateRequest {
	t.Helper()
	der, err := CSR(key, "ep")
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
