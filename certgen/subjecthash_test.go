package certgen

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func opensslHash(t *testing.T, pemFile string) string {
	t.Helper()
	out, err := openssl(t, "x509", "-hash", "-noout", "-in", pemFile)
	if err != nil {
		t.Fatalf("openssl x509 -hash %s: %v\n%s", pemFile, err, out)
	}
	return strings.TrimSpace(out)
}

func TestNameHashMatchesOpenSSLForFixtures(t *testing.T) {
	set, dir, _ := writtenFixtures(t)
	for _, ref := range set.allRefs() {
		c := mustCert(t, set, ref)
		h, err := OpenSSLNameHash(c.X509.RawSubject)
		if err != nil {
			t.Fatal(err)
		}
		if want := opensslHash(t, filepath.Join(dir, c.World, c.Name+".crt.pem")); fmt.Sprintf("%08x", h) != want {
			t.Errorf("%s: hash %08x, openssl %s", ref, h, want)
		}
	}
}

// rawString is an attribute value with an explicit ASN.1 string type.
func rawString(tag int, b []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, Bytes: b}
}

type atv struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

func ucs4(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
	}
	return out
}

func bmp(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// TestNameHashCanonicalisation feeds names that exercise every
// canonicalisation rule (case, whitespace, string types, multi-valued RDNs)
// through both implementations.
func TestNameHashCanonicalisation(t *testing.T) {
	cn, o, ou := asn1.ObjectIdentifier{2, 5, 4, 3}, asn1.ObjectIdentifier{2, 5, 4, 10}, asn1.ObjectIdentifier{2, 5, 4, 11}
	serial := asn1.ObjectIdentifier{2, 5, 4, 5}
	names := map[string][][]atv{
		"whitespace and case": {{{cn, rawString(tagPrintableString, []byte("  Foo \t  BAR  baz "))}}},
		"ia5 and utf8":        {{{o, rawString(tagIA5String, []byte("Mixed@Case.Example"))}}, {{cn, rawString(tagUTF8String, []byte("  Ünïcode   STRASSE Straße "))}}},
		"t61 latin1":          {{{cn, rawString(tagT61String, []byte("Caf\xe9  Cr\xe8me"))}}},
		"bmp":                 {{{cn, rawString(tagBMPString, bmp(" Grüße  AUS Köln "))}}},
		"universal":           {{{ou, rawString(tagUniversalString, ucs4("  Unit   ÖNE "))}}},
		"multi-valued rdn":    {{{ou, rawString(tagUTF8String, []byte("Zeta"))}, {cn, rawString(tagPrintableString, []byte("ALPHA"))}}},
		"numeric kept as is":  {{{serial, rawString(18, []byte("00 12"))}}},
		"empty after trim":    {{{cn, rawString(tagUTF8String, []byte("   "))}}},
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, rdns := range names {
		var seq []asn1.RawValue
		for _, rdn := range rdns {
			var set []byte
			for _, a := range rdn {
				enc, err := asn1.Marshal(a)
				if err != nil {
					t.Fatal(err)
				}
				set = append(set, enc...)
			}
			seq = append(seq, asn1.RawValue{Class: asn1.ClassUniversal, Tag: tagSet, IsCompound: true, Bytes: set})
		}
		raw, err := asn1.Marshal(seq)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), RawSubject: raw, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".pem")
		if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := OpenSSLNameHash(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := opensslHash(t, file); fmt.Sprintf("%08x", h) != want {
			t.Errorf("%s: hash %08x, openssl %s", name, h, want)
		}
	}
}

func TestNameHashRejectsMalformedNames(t *testing.T) {
	for name, raw := range map[string][]byte{
		"not a sequence": {0x02, 0x01, 0x00},
		"rdn not a set":  {0x30, 0x03, 0x02, 0x01, 0x00},
		"trailing data":  {0x30, 0x00, 0x00},
		"bad utf8":       mustMarshal(t, []asn1.RawValue{{Tag: tagSet, IsCompound: true, Bytes: mustMarshal(t, atv{asn1.ObjectIdentifier{2, 5, 4, 3}, rawString(tagUTF8String, []byte{0xff})})}}),
		"odd bmp":        mustMarshal(t, []asn1.RawValue{{Tag: tagSet, IsCompound: true, Bytes: mustMarshal(t, atv{asn1.ObjectIdentifier{2, 5, 4, 3}, rawString(tagBMPString, []byte{0})})}}),
	} {
		if _, err := OpenSSLNameHash(raw); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The empty name hashes like OpenSSL's: SHA-1 of nothing, da39a3ee.
	if h, err := OpenSSLNameHash([]byte{0x30, 0x00}); err != nil || h != 0xeea339da {
		t.Errorf("empty name: %08x %v", h, err)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
