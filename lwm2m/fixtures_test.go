package lwm2m

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// deviceInstance is the Device object instance of the TLV example in the
// Core specification: the client answers a Read of /3/0 with these values.
func deviceInstance() []Record {
	return []Record{
		{NewPath(3, 0, 0), String("Open Mobile Alliance")},
		{NewPath(3, 0, 1), String("Lightweight M2M Client")},
		{NewPath(3, 0, 2), String("345000123")},
		{NewPath(3, 0, 3), String("1.0")},
		{NewPath(3, 0, 6, 0), Int(1)},
		{NewPath(3, 0, 6, 1), Int(5)},
		{NewPath(3, 0, 7, 0), Int(3800)},
		{NewPath(3, 0, 7, 1), Int(5000)},
		{NewPath(3, 0, 8, 0), Int(125)},
		{NewPath(3, 0, 8, 1), Int(900)},
		{NewPath(3, 0, 9), Int(100)},
		{NewPath(3, 0, 10), Int(15)},
		{NewPath(3, 0, 11, 0), Int(0)},
		{NewPath(3, 0, 13), UnixTime(1367491215)},
		{NewPath(3, 0, 14), String("+02:00")},
		{NewPath(3, 0, 16), String("U")},
	}
}

// deviceInstanceTLV is the specification's byte-exact TLV for deviceInstance.
const deviceInstanceTLV = "" +
	"c8 00 14 4f 70 65 6e 20 4d 6f 62 69 6c 65 20 41 6c 6c 69 61 6e 63 65" +
	"c8 01 16 4c 69 67 68 74 77 65 69 67 68 74 20 4d 32 4d 20 43 6c 69 65 6e 74" +
	"c8 02 09 33 34 35 30 30 30 31 32 33" +
	"c3 03 31 2e 30" +
	"86 06 41 00 01 41 01 05" +
	"88 07 08 42 00 0e d8 42 01 13 88" +
	"87 08 41 00 7d 42 01 03 84" +
	"c1 09 64" +
	"c1 0a 0f" +
	"83 0b 41 00 00" +
	"c4 0d 51 82 42 8f" +
	"c6 0e 2b 30 32 3a 30 30" +
	"c1 10 55"

// unhex reads space-separated hex for byte vectors.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}
	return b
}

var testCertOnce = sync.OnceValues(func() ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x1f2e3d4c),
		Subject:      pkix.Name{CommonName: "lwm2m.example.com", Organization: []string{"lwm2m-conform test"}},
		DNSNames:     []string{"lwm2m.example.com"},
		NotBefore:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2044, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	return x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
})

// testCertDER is a real P-256 DER certificate (over 255 bytes, so TLV
// needs a 16-bit length field for it).
func testCertDER(t testing.TB) []byte {
	t.Helper()
	der, err := testCertOnce()
	if err != nil {
		t.Fatalf("make test certificate: %v", err)
	}
	return der
}

// securityInstance is a certificate-mode Security instance with SNI,
// certificate usage and a two-suite list (PSK CCM-8 and ECDHE-ECDSA GCM).
func securityInstance(t testing.TB, inst uint16) []Record {
	cert := testCertDER(t)
	return []Record{
		{NewPath(0, inst, 0), String("coaps://lwm2m.example.com:5684")},
		{NewPath(0, inst, 1), Bool(false)},
		{NewPath(0, inst, 2), Int(2)},
		{NewPath(0, inst, 3), Opaque(cert)},
		{NewPath(0, inst, 4), Opaque(cert)},
		{NewPath(0, inst, 5), Opaque([]byte{0x30, 0x77, 0x02, 0x01, 0x01})},
		{NewPath(0, inst, 10), Int(101)},
		{NewPath(0, inst, 14), String("lwm2m.example.com")},
		{NewPath(0, inst, 15), Uint(3)},
		{NewPath(0, inst, 16, 0), Uint(0xC0A8)},
		{NewPath(0, inst, 16, 1), Uint(0xC02B)},
	}
}

// serverInstance is a Server instance with every value type the object
// uses except the executables.
func serverInstance() []Record {
	return []Record{
		{NewPath(1, 0, 0), Int(101)},
		{NewPath(1, 0, 1), Int(86400)},
		{NewPath(1, 0, 2), Int(10)},
		{NewPath(1, 0, 3), Int(300)},
		{NewPath(1, 0, 5), Int(86400)},
		{NewPath(1, 0, 6), Bool(true)},
		{NewPath(1, 0, 7), String("UQ")},
		{NewPath(1, 0, 10), ObjLinkValue(ObjLink{Obj: 11, Inst: 0})},
		{NewPath(1, 0, 11), Uint(42)},
		{NewPath(1, 0, 12), UnixTime(1700000000)},
		{NewPath(1, 0, 22), String("U")},
	}
}

// sortedRecords returns a copy in path order, the order TLV writes.
func sortedRecords(recs []Record) []Record {
	out := slices.Clone(recs)
	slices.SortStableFunc(out, func(a, b Record) int { return a.Path.Compare(b.Path) })
	return out
}

// assertRecords fails with both lists when they differ.
func assertRecords(t testing.TB, got, want []Record) {
	t.Helper()
	if !RecordsEqual(got, want) {
		t.Fatalf("records differ\n got: %v\nwant: %v", got, want)
	}
}

// assertErrContains fails unless err is non-nil and mentions want.
func assertErrContains(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error mentioning %q, got none", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not mention %q", err, want)
	}
}
