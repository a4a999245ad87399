package dtlswire

import (
	"strings"
	"testing"
)

// The CBC-SHA1 suites a default Mbed TLS 3.6 build offers: all Legacy
// (RFC 9325 §4.2 recommends only AEAD suites), none Broken.
func TestMbedTLSCBCSHA1IsLegacy(t *testing.T) {
	for _, id := range []uint16{0xC009, 0xC00A, 0xC013, 0xC014, 0x0033, 0x0039, 0x002F, 0x0035,
		0x008C, 0x008D, 0x0090, 0x0091, 0x0094, 0x0095, 0xC035, 0xC036} {
		w := SuiteWeakness(id)
		if w.Level != Legacy {
			t.Errorf("0x%04X %s: %v (%s), want legacy", id, CipherSuiteName(id), w.Level, w.Reason)
		}
		if !hasWeakness(id, "CBC with an HMAC-SHA1 MAC; only AEAD suites are recommended", "RFC 9325 §4.2") {
			t.Errorf("0x%04X %s: CBC-SHA1 rule did not match: %v", id, CipherSuiteName(id), SuiteWeaknesses(id))
		}
	}
}

func TestSuiteWeakness(t *testing.T) {
	for _, c := range []struct {
		id     uint16
		level  Level
		reason string
		source string
	}{
		// Broken: the check FAILs.
		{0x0000, Broken, "NULL cipher: no encryption", "RFC 9325 §4.1"},
		{0x0001, Broken, "NULL cipher: no encryption", "RFC 9325 §4.1"},
		{0x0002, Broken, "NULL cipher: no encryption", "RFC 9325 §4.1"},
		{0x0018, Broken, "anonymous key exchange: the server is not authenticated", "RFC 5246 App. A.5"},
		{0xC016, Broken, "anonymous key exchange: the server is not authenticated", "RFC 5246 App. A.5"},
		{0x0004, Broken, "RC4 stream cipher", "RFC 7465 §2"},
		{0x0008, Broken, "export-grade cipher (40/56-bit keys)", "RFC 9325 §4.1"},
		{0x0009, Broken, "single DES (56-bit key or less)", "RFC 9325 §4.1; RFC 5469"},
		{0x0007, Broken, "IDEA, dropped from TLS 1.2 (RFC 5469 is Historic)", "RFC 5469"},
		{0x0023, Broken, "HMAC-MD5 record MAC", "RFC 6151 §2"},
		{0xC0B4, Broken, "NULL cipher: no encryption", "RFC 9325 §4.1"},
		{0x00B0, Broken, "NULL cipher: no encryption", "RFC 9325 §4.1"},
		// Legacy: the check WARNs.
		{0x009C, Legacy, "static RSA key transport: no forward secrecy", "RFC 9325 §4.1"},
		{0xC0A0, Legacy, "static RSA key transport: no forward secrecy", "RFC 9325 §4.1"},
		{0xC031, Legacy, "static (EC)DH key agreement: no forward secrecy", "RFC 9325 §4.1"},
		{0x00A4, Legacy, "static (EC)DH key agreement: no forward secrecy", "RFC 9325 §4.1"},
		{0xC012, Legacy, "3DES: 112-bit security and a 64-bit block", "RFC 9325 §4.1"},
		{0xC027, Fine, "", ""}, // CBC with SHA-256: not the SHA-1 class
		// Fine: the LwM2M mandatory suites (RFC 7925 §4.2) and modern AEAD.
		{0xC0A8, Fine, "", ""},
		{0xC0AE, Fine, "", ""},
		{0x00A8, Fine, "", ""}, // plain PSK is not flagged as non-forward-secret
		{0x00AC, Fine, "", ""}, // nor RSA_PSK
		{0xC02B, Fine, "", ""},
		{0xCCA8, Fine, "", ""},
		{0x1301, Fine, "", ""},
		{0xD005, Fine, "", ""},
		// Not offers, and not judgeable.
		{0x00FF, Fine, "signalling value, not an offer", "RFC5746"},
		{0x5600, Fine, "signalling value, not an offer", "RFC7507"},
		{0x3A3A, Fine, "GREASE value, not an offer", "RFC 8701 §2"},
		{0xC0FF, Unknown, "not in the IANA TLS Cipher Suites registry", "IANA TLS Cipher Suites registry"},
	} {
		got := SuiteWeakness(c.id)
		if want := (Weakness{c.level, c.reason, c.source}); got != want {
			t.Errorf("0x%04X %s: %+v, want %+v", c.id, CipherSuiteName(c.id), got, want)
		}
	}
}

// A suite can be weak on several counts; all are reported, worst first wins.
func TestSuiteWeaknessesAll(t *testing.T) {
	got := SuiteWeaknesses(0x000A) // TLS_RSA_WITH_3DES_EDE_CBC_SHA
	var reasons []string
	for _, w := range got {
		reasons = append(reasons, w.Level.String()+": "+w.Reason)
	}
	want := []string{
		"legacy: 3DES: 112-bit security and a 64-bit block",
		"legacy: CBC with an HMAC-SHA1 MAC; only AEAD suites are recommended",
		"legacy: static RSA key transport: no forward secrecy",
	}
	if strings.Join(reasons, "\n") != strings.Join(want, "\n") {
		t.Errorf("0x000A:\n%s\nwant\n%s", strings.Join(reasons, "\n"), strings.Join(want, "\n"))
	}
	if w := SuiteWeakness(0x0017); w.Level != Broken || w.Reason != "anonymous key exchange: the server is not authenticated" {
		t.Errorf("0x0017 TLS_DH_anon_EXPORT_WITH_RC4_40_MD5: %+v, want the first broken rule", w)
	}
}

// Every registry entry that is not signalling gets a level; none is Unknown.
func TestEveryRegistrySuiteJudged(t *testing.T) {
	counts := map[Level]int{}
	for _, s := range Suites() {
		counts[SuiteWeakness(s.ID).Level]++
	}
	if counts[Unknown] != 0 {
		t.Errorf("%d registry suites judged unknown", counts[Unknown])
	}
	t.Logf("registry judged: %v", counts)
}

func TestParseRulesMalformed(t *testing.T) {
	for _, c := range []struct{ row, want string }{
		{"fatal\tcipher=NULL\tr\ts\n", `r.tsv line 2: level "fatal" is not broken or legacy`},
		{"broken\tcipher=NUL\tr\ts\n", "r.tsv line 2: no registry row has cipher=NUL"},
		{"broken\tciphers=NULL\tr\ts\n", `r.tsv line 2: match term "ciphers=NULL" is not column=value`},
		{"broken\tcipher=NULL\tr\n", "r.tsv line 2: 3 tab-separated columns, want 4"},
	} {
		_, err := parseRules("r.tsv", "# header\n"+c.row, suites)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("row %q: error %v, want prefix %q", c.row, err, c.want)
		}
	}
}

func hasWeakness(id uint16, reason, source string) bool {
	for _, w := range SuiteWeaknesses(id) {
		if w.Reason == reason && w.Source == source {
			return true
		}
	}
	return false
}
