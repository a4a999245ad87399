package verify

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseServerPublicKeyAccepts(t *testing.T) {
	p := testPKI(t)
	inputs := map[string][]byte{
		"DER":              p.leaf.der(),
		"PEM":              p.leaf.pem(),
		"PEM with text":    append([]byte("subject=leaf\nissuer=inter\n"), p.leaf.pem()...),
		"PEM CRLF":         bytes.ReplaceAll(p.leaf.pem(), []byte("\n"), []byte("\r\n")),
		"PEM no final EOL": bytes.TrimRight(p.leaf.pem(), "\n"),
	}
	for name, in := range inputs {
		c, err := ParseServerPublicKey(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(c.Raw, p.leaf.der()) {
			t.Errorf("%s: parsed a different certificate", name)
		}
	}
}

func TestParseServerPublicKeyRejects(t *testing.T) {
	p := testPKI(t)
	der := p.leaf.der()
	twoPEM := append(append([]byte{}, p.leaf.pem()...), p.inter.pem()...)
	keyThenCert := append([]byte("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"), p.leaf.pem()...)
	cases := []struct {
		name string
		in   []byte
		want string // substring of the error
	}{
		{"empty", nil, "empty"},
		{"text", []byte("hello"), "neither a DER certificate"},
		{"truncated DER", der[:len(der)-10], "neither a DER certificate"},
		{"DER with trailing byte", append(append([]byte{}, der...), 0), "trailing data"},
		{"public key PEM", []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), `"PUBLIC KEY", want CERTIFICATE`},
		{"key before cert", keyThenCert, `"EC PRIVATE KEY", want CERTIFICATE`},
		{"two certificates", twoPEM, "2 PEM certificates, want exactly one"},
		{"broken PEM", []byte("-----BEGIN CERTIFICATE-----\n!!!\n"), "no well-formed PEM block"},
		{"PEM of garbage", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "does not hold a certificate"},
	}
	for _, tc := range cases {
		c, err := ParseServerPublicKey(tc.in)
		if err == nil {
			t.Errorf("%s: parsed %v", tc.name, c.Subject)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q lacks %q", tc.name, err, tc.want)
		}
	}
}

// A DER certificate whose subject spells a PEM header is still DER.
func TestParseServerPublicKeyDERWithPEMText(t *testing.T) {
	c, err := issue(spec{cn: "-----BEGIN CERTIFICATE-----", validity: current}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseServerPublicKey(c.der())
	if err != nil {
		t.Fatalf("DER with PEM text in its subject: %v", err)
	}
	if !bytes.Equal(got.Raw, c.der()) {
		t.Fatal("parsed a different certificate")
	}
}
