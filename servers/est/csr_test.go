package est

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
)

func TestParseCSR(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good := newCSR(t, key, "urn:imei:000000000000001")
	csr, err := ParseCSR(good)
	if err != nil {
		t.Fatal(err)
	}
	if f := Facts(csr); f.CN != "urn:imei:000000000000001" || f.KeyAlg != "P-256" || f.SigAlg != "ECDSA-SHA256" {
		t.Errorf("facts %+v", f)
	}
	broken := append([]byte(nil), good...)
	broken[len(broken)-5] ^= 0xFF // inside the signature
	for name, tc := range map[string]struct {
		der  []byte
		want string
	}{
		"empty":     {nil, "empty CSR"},
		"truncated": {good[:len(good)/2], "CSR does not parse"},
		"signature": {broken, "CSR"},
		"huge":      {make([]byte, maxCSR+1), "larger than"},
	} {
		if _, err := ParseCSR(tc.der); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzParseCSR: no input takes the server down, and whatever parses has
// a verified signature.
func FuzzParseCSR(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good := newCSR(f, key, "urn:imei:000000000000001")
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{0x30, 0x80, 0x00, 0x00})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, der []byte) {
		csr, err := ParseCSR(der)
		if err == nil && csr.CheckSignature() != nil {
			t.Fatal("ParseCSR returned a CSR whose signature does not verify")
		}
	})
}
