package verify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/url"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	p := testPKI(t)
	cases := []struct {
		leaf *x509.Certificate
		name string
		ok   bool
	}{
		{p.leaf.cert, "localhost", true},
		{p.leaf.cert, "LocalHost", true},
		{p.leaf.cert, "localhost.", true},
		{p.leaf.cert, "localhost2", false},
		{p.leaf.cert, "a.localhost", false},
		{p.leaf.cert, "localhost.evil", false},
		{p.leaf.cert, "leaf", false}, // CN ignored when SANs exist
		{p.leaf.cert, "127.0.0.1", false},
		{p.leaf.cert, "", false},

		{p.wildcard.cert, "a.example.test", true},
		{p.wildcard.cert, "COAP.Example.Test", true},
		{p.wildcard.cert, "example.test", false},
		{p.wildcard.cert, "a.b.example.test", false},
		{p.wildcard.cert, ".example.test", false},
		{p.wildcard.cert, "*.example.test", false},
		{p.wildcard.cert, "a.example.org", false},
		{p.wildcard.cert, "a.example.test.evil", false},

		{p.ipLeaf.cert, "127.0.0.1", true},
		{p.ipLeaf.cert, "::1", true},
		{p.ipLeaf.cert, "[::1]", true},
		{p.ipLeaf.cert, "0:0:0:0:0:0:0:1", true},
		{p.ipLeaf.cert, "::ffff:127.0.0.1", true}, // the same IPv4 address
		{p.ipLeaf.cert, "127.0.0.2", false},
		{p.ipLeaf.cert, "::2", false},
		{p.ipLeaf.cert, "ip", false}, // CN ignored: the certificate has IP SANs

		{p.cnOnly.cert, "localhost", true}, // no SAN extension: CN used
		{p.cnOnly.cert, "LOCALHOST", true},
		{p.cnOnly.cert, "other", false},
		{p.cnOnly.cert, "127.0.0.1", false},
	}
	for _, tc := range cases {
		err := CheckName(tc.leaf, tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckName(%s, %q) = %v, want ok=%v", tc.leaf.Subject.CommonName, tc.name, err, tc.ok)
		}
	}
}

func TestCheckNameEmptyNameError(t *testing.T) {
	p := testPKI(t)
	err := CheckName(p.leaf.cert, "")
	if err == nil || !strings.Contains(err.Error(), "no reference identity") {
		t.Fatalf("error %v does not say \"no reference identity\"", err)
	}
	if err := CheckName(nil, "localhost"); err == nil {
		t.Fatal("nil certificate accepted")
	}
}

// An IP literal never matches a DNS SAN or the CN spelling the same text.
func TestCheckNameIPNeverMatchesDNSOrCN(t *testing.T) {
	dnsIP := &x509.Certificate{DNSNames: []string{"192.0.2.1"}}
	if err := CheckName(dnsIP, "192.0.2.1"); err == nil {
		t.Error("IP literal matched a DNS SAN")
	}
	cnIP := &x509.Certificate{Subject: pkix.Name{CommonName: "192.0.2.1"}}
	if err := CheckName(cnIP, "192.0.2.1"); err == nil {
		t.Error("IP literal matched the CN")
	}
}

// Any SAN type rules out the CN fallback, not only DNS names.
func TestCheckNameCNOnlyWithoutSANs(t *testing.T) {
	cn := pkix.Name{CommonName: "device.example.test"}
	u, _ := url.Parse("coap://device.example.test")
	withSAN := map[string]*x509.Certificate{
		"IP SAN":             {Subject: cn, IPAddresses: []net.IP{net.ParseIP("192.0.2.1")}},
		"URI SAN":            {Subject: cn, URIs: []*url.URL{u}},
		"email SAN":          {Subject: cn, EmailAddresses: []string{"ops@example.test"}},
		"DNS SAN":            {Subject: cn, DNSNames: []string{"other.example.test"}},
		"bare SAN extension": {Subject: cn, Extensions: []pkix.Extension{{Id: oidSubjectAltName}}},
	}
	for what, c := range withSAN {
		if err := CheckName(c, "device.example.test"); err == nil {
			t.Errorf("%s: CN used although the certificate has a SAN extension", what)
		}
	}
	if err := CheckName(&x509.Certificate{Subject: cn}, "device.example.test"); err != nil {
		t.Errorf("no SANs: CN not used: %v", err)
	}
	wildCN := &x509.Certificate{Subject: pkix.Name{CommonName: "*.example.test"}}
	if err := CheckName(wildCN, "device.example.test"); err != nil {
		t.Errorf("wildcard CN: %v", err)
	}
	if err := CheckName(wildCN, "a.device.example.test"); err == nil {
		t.Error("wildcard CN matched two labels")
	}
	// Unicode case folding must not apply: U+212A KELVIN SIGN folds to "k".
	kelvin := &x509.Certificate{Subject: pkix.Name{CommonName: "\u212a.example.test"}}
	if err := CheckName(kelvin, "k.example.test"); err == nil {
		t.Error("Kelvin sign CN matched \"k\"")
	}
}
