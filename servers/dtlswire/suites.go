package dtlswire

import (
	_ "embed"
	"fmt"
)

// Suite is one row of the IANA TLS Cipher Suites registry, with the name
// taken apart into the components the weakness rules judge.
type Suite struct {
	ID          uint16
	Name        string // IANA's exact string
	KeyExchange string // RSA, ECDHE_ECDSA, PSK, ..., TLS13, or SCSV
	Auth        string // RSA, ECDSA, PSK, anon, ...; "-" for SCSVs
	Cipher      string // AES_128_CCM_8, 3DES_EDE_CBC, NULL, ...
	Mode        string // stream, CBC, AEAD or NULL; "-" for SCSVs
	MAC         string // MAC hash (stream/CBC) or PRF hash (AEAD)
	Export      bool
	DTLSOK      bool   // the registry's DTLS-OK column
	Recommended string // the registry's Recommended column: Y, N or D
	Reference   string // the registry's references, space-separated
}

//go:embed iana_suites.tsv
var ianaSuitesTSV string

// The embedded table is checked by the tests; a malformed one is a build
// defect, so loading it panics rather than returning an error to callers.
var suites, suiteByID, suiteByName = mustLoadSuites()

func mustLoadSuites() ([]Suite, map[uint16]Suite, map[string]Suite) {
	list, err := parseSuites("iana_suites.tsv", ianaSuitesTSV)
	if err != nil {
		panic(err)
	}
	byID := make(map[uint16]Suite, len(list))
	byName := make(map[string]Suite, len(list))
	for _, s := range list {
		byID[s.ID], byName[s.Name] = s, s
	}
	return list, byID, byName
}

// LookupSuite returns the registry entry for a code point.
func LookupSuite(id uint16) (Suite, bool) {
	s, ok := suiteByID[id]
	return s, ok
}

// LookupSuiteByName returns the registry entry for an IANA name.
func LookupSuiteByName(name string) (Suite, bool) {
	s, ok := suiteByName[name]
	return s, ok
}

// Suites returns every registry entry, ordered by code point.
func Suites() []Suite {
	return append([]Suite(nil), suites...)
}

// IsGREASE reports an RFC 8701 GREASE value (0x?A?A with equal bytes), which
// the cipher suite, supported_groups and other registries share.
func IsGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}

// IsSignalling reports values a ClientHello lists among its cipher suites
// that are not offers: the SCSVs (RFC 5746, RFC 7507) and GREASE.
func IsSignalling(id uint16) bool {
	if IsGREASE(id) {
		return true
	}
	s, ok := suiteByID[id]
	return ok && s.KeyExchange == "SCSV"
}

// CipherSuiteName names a cipher suite by its IANA name. GREASE values
// (RFC 8701) are named "GREASE"; anything else unknown is rendered as hex.
func CipherSuiteName(id uint16) string {
	if s, ok := suiteByID[id]; ok {
		return s.Name
	}
	if IsGREASE(id) {
		return "GREASE"
	}
	return fmt.Sprintf("0x%04X", id)
}
