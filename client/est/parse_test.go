package est

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// Seed 002 §10.3.2: crts and sen answers are accepted "both [as] a single
// raw X.509 certificate and PKCS#7 cert-only"; RFC 9148 §4.3 gives them
// Content-Formats 287 and 281. Anything else is refused with a reason.
func TestParseCertsResponse(t *testing.T) {
	ca := testCA(t)
	leaf := issue(t, ca, mustKey(t), "ep", time.Hour)
	p7, err := serverest.DegeneratePKCS7([]*x509.Certificate{leaf, ca.Cert})
	if err != nil {
		t.Fatal(err)
	}
	certs, err := ParseCertsResponse(FormatPKCS7Certs, p7)
	if err != nil || len(certs) != 2 || !certs[0].Equal(leaf) || !certs[1].Equal(ca.Cert) {
		t.Fatalf("281: %v %d", err, len(certs))
	}
	certs, err = ParseCertsResponse(FormatPKIXCert, leaf.Raw)
	if err != nil || len(certs) != 1 || !certs[0].Equal(leaf) {
		t.Fatalf("287: %v", err)
	}
	empty, _ := serverest.DegeneratePKCS7(nil)
	for name, tc := range map[string]struct {
		format uint16
		body   []byte
		want   string
	}{
		"truncated pkcs7":     {281, p7[:len(p7)/2], "PKCS#7 answer does not parse"},
		"empty pkcs7":         {281, empty, "PKCS#7 answer holds no certificate"},
		"no body":             {281, nil, "empty PKCS#7 answer"},
		"pkcs7 labelled 287":  {287, p7, "application/pkix-cert answer does not parse"},
		"octet-stream":        {42, p7, "Content-Format 42: want 281 (pkcs7 certs-only) or 287 (pkix-cert)"},
		"truncated pkix-cert": {287, leaf.Raw[:100], "does not parse"},
	} {
		if _, err := ParseCertsResponse(mediaType(tc.format), tc.body); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzParsePKCS7: no answer takes the client down, and whatever parses
// holds at least one certificate.
func FuzzParsePKCS7(f *testing.F) {
	ca := testCA(f)
	leaf := issue(f, ca, mustKey(f), "urn:imei:000000000000001", time.Hour)
	one, _ := serverest.DegeneratePKCS7([]*x509.Certificate{leaf})
	two, _ := serverest.DegeneratePKCS7([]*x509.Certificate{leaf, ca.Cert})
	empty, _ := serverest.DegeneratePKCS7(nil)
	f.Add(one)
	f.Add(two)
	f.Add(empty)
	f.Add(one[:len(one)/2])
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0x00, 0x00}) // BER indefinite length
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, der []byte) {
		certs, err := ParsePKCS7(der)
		if err == nil && len(certs) == 0 {
			t.Fatal("ParsePKCS7 succeeded without a certificate")
		}
	})
}
