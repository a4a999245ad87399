package dtlswire

import (
	"fmt"
	"strings"
	"testing"
)

// Code points and names as the IANA TLS Cipher Suites registry lists them,
// spread over every assigned range and every RFC that fills it.
func TestLookupSuiteSample(t *testing.T) {
	for id, name := range map[uint16]string{
		0x0000: "TLS_NULL_WITH_NULL_NULL",                      // RFC 5246
		0x0003: "TLS_RSA_EXPORT_WITH_RC4_40_MD5",               // RFC 4346
		0x0007: "TLS_RSA_WITH_IDEA_CBC_SHA",                    // RFC 5469
		0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",                // RFC 5246
		0x0018: "TLS_DH_anon_WITH_RC4_128_MD5",                 // RFC 5246
		0x001E: "TLS_KRB5_WITH_DES_CBC_SHA",                    // RFC 2712
		0x002B: "TLS_KRB5_EXPORT_WITH_RC4_40_MD5",              // RFC 2712
		0x002C: "TLS_PSK_WITH_NULL_SHA",                        // RFC 4785
		0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA",                 // RFC 5246
		0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",                 // RFC 5246
		0x0041: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",            // RFC 5932
		0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",          // RFC 5246
		0x0089: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",        // RFC 5932
		0x008C: "TLS_PSK_WITH_AES_128_CBC_SHA",                 // RFC 4279
		0x0095: "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",             // RFC 4279
		0x0096: "TLS_RSA_WITH_SEED_CBC_SHA",                    // RFC 4162
		0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256",              // RFC 5288
		0x00A8: "TLS_PSK_WITH_AES_128_GCM_SHA256",              // RFC 5487
		0x00AE: "TLS_PSK_WITH_AES_128_CBC_SHA256",              // RFC 5487
		0x00B9: "TLS_RSA_PSK_WITH_NULL_SHA384",                 // RFC 5487
		0x00C5: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256",     // RFC 5932
		0x00C6: "TLS_SM4_GCM_SM3",                              // RFC 8998
		0x00FF: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",            // RFC 5746
		0x1301: "TLS_AES_128_GCM_SHA256",                       // RFC 8446
		0x1305: "TLS_AES_128_CCM_8_SHA256",                     // RFC 8446
		0x5600: "TLS_FALLBACK_SCSV",                            // RFC 7507
		0xC001: "TLS_ECDH_ECDSA_WITH_NULL_SHA",                 // RFC 8422
		0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",         // RFC 8422
		0xC016: "TLS_ECDH_anon_WITH_RC4_128_SHA",               // RFC 8422
		0xC01A: "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA",            // RFC 5054
		0xC023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",      // RFC 5289
		0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",      // RFC 5289
		0xC035: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",           // RFC 5489
		0xC037: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",        // RFC 5489
		0xC03C: "TLS_RSA_WITH_ARIA_128_CBC_SHA256",             // RFC 6209
		0xC071: "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384",       // RFC 6209
		0xC072: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", // RFC 6367
		0xC09B: "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",   // RFC 6367
		0xC09C: "TLS_RSA_WITH_AES_128_CCM",                     // RFC 6655
		0xC0A8: "TLS_PSK_WITH_AES_128_CCM_8",                   // RFC 6655
		0xC0AA: "TLS_PSK_DHE_WITH_AES_128_CCM_8",               // RFC 6655 (IANA's word order)
		0xC0AE: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",           // RFC 7251
		0xC0B0: "TLS_ECCPWD_WITH_AES_128_GCM_SHA256",           // RFC 8492
		0xC0B4: "TLS_SHA256_SHA256",                            // RFC 9150
		0xC100: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", // RFC 9189
		0xC106: "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",         // RFC 9367
		0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",  // RFC 7905
		0xCCAE: "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",    // RFC 7905
		0xD001: "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",        // RFC 8442
		0xD005: "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",        // RFC 8442
	} {
		s, ok := LookupSuite(id)
		if !ok || s.Name != name {
			t.Errorf("LookupSuite(0x%04X) = %q, %v; want %q", id, s.Name, ok, name)
		}
		if got := CipherSuiteName(id); got != name {
			t.Errorf("CipherSuiteName(0x%04X) = %q, want %q", id, got, name)
		}
	}
}

// Unassigned and reserved values are not registry rows: 0xD004 is the gap
// in RFC 8442's range, 0x001C-0x001D are reserved for SSLv3 (RFC 5246), and
// 0xC0FF is outside any assignment.
func TestLookupSuiteUnassigned(t *testing.T) {
	for _, id := range []uint16{0xD004, 0x001C, 0x001D, 0x0060, 0x00C8, 0x1300, 0xC0B6, 0xC0FF, 0xC107, 0xCCAF, 0xFEFE, 0xFF00} {
		if s, ok := LookupSuite(id); ok {
			t.Errorf("0x%04X: unexpectedly named %s", id, s.Name)
		}
		if got, want := CipherSuiteName(id), fmt.Sprintf("0x%04X", id); got != want {
			t.Errorf("CipherSuiteName(0x%04X) = %q, want %q", id, got, want)
		}
	}
}

func TestSuiteComponents(t *testing.T) {
	for _, c := range []struct {
		id                          uint16
		kx, auth, cipher, mode, mac string
		export                      bool
	}{
		{0x0000, "NULL", "NULL", "NULL", "NULL", "NULL", false},
		{0x0003, "RSA", "RSA", "RC4_40", "stream", "MD5", true},
		{0x0026, "KRB5", "KRB5", "DES_CBC_40", "CBC", "SHA", true},
		{0x009C, "RSA", "RSA", "AES_128_GCM", "AEAD", "SHA256", false},
		{0x00AC, "RSA_PSK", "RSA_PSK", "AES_128_GCM", "AEAD", "SHA256", false},
		{0x00FF, "SCSV", "-", "-", "-", "-", false},
		{0x1305, "TLS13", "TLS13", "AES_128_CCM_8", "AEAD", "SHA256", false},
		{0xC01B, "SRP_SHA_RSA", "RSA", "3DES_EDE_CBC", "CBC", "SHA", false},
		{0xC0A8, "PSK", "PSK", "AES_128_CCM_8", "AEAD", "SHA256", false},
		{0xC0AA, "DHE_PSK", "PSK", "AES_128_CCM_8", "AEAD", "SHA256", false},
		{0xC0AE, "ECDHE_ECDSA", "ECDSA", "AES_128_CCM_8", "AEAD", "SHA256", false},
		{0xC0B4, "TLS13", "TLS13", "NULL", "NULL", "SHA256", false},
		{0xD003, "ECDHE_PSK", "PSK", "AES_128_CCM_8", "AEAD", "SHA256", false},
	} {
		s, _ := LookupSuite(c.id)
		got := []string{s.KeyExchange, s.Auth, s.Cipher, s.Mode, s.MAC}
		want := []string{c.kx, c.auth, c.cipher, c.mode, c.mac}
		if strings.Join(got, " ") != strings.Join(want, " ") || s.Export != c.export {
			t.Errorf("0x%04X %s: %v export=%v, want %v export=%v", c.id, s.Name, got, s.Export, want, c.export)
		}
	}
}

// Registry-wide facts: 352 assigned code points (IANA registry as of the
// AEGIS assignments 0x1306/0x1307), unique codes and names, names that
// round-trip, and components that agree with the name they came from.
func TestRegistryWhole(t *testing.T) {
	all := Suites()
	if len(all) != 352 {
		t.Errorf("%d registry entries, want 352", len(all))
	}
	ids, names := map[uint16]bool{}, map[string]bool{}
	for _, s := range all {
		if ids[s.ID] || names[s.Name] {
			t.Errorf("duplicate 0x%04X %s", s.ID, s.Name)
		}
		ids[s.ID], names[s.Name] = true, true
		if byName, ok := LookupSuiteByName(s.Name); !ok || byName.ID != s.ID {
			t.Errorf("%s does not round-trip: got 0x%04X", s.Name, byName.ID)
		}
		if CipherSuiteName(s.ID) != s.Name {
			t.Errorf("0x%04X: CipherSuiteName %q, want %q", s.ID, CipherSuiteName(s.ID), s.Name)
		}
		if s.Export != strings.Contains(s.Name, "_EXPORT_") {
			t.Errorf("%s: export=%v disagrees with the name", s.Name, s.Export)
		}
		if (s.Auth == "anon") != strings.Contains(s.Name, "_anon_") {
			t.Errorf("%s: auth=%s disagrees with the name", s.Name, s.Auth)
		}
		if s.Mode != "-" && s.Cipher != "NULL" && !strings.Contains(s.Name, "_"+s.Cipher) {
			t.Errorf("%s: cipher %s is not in the name", s.Name, s.Cipher)
		}
		if (s.Mode == "CBC") != strings.Contains(s.Cipher, "CBC") {
			t.Errorf("%s: mode %s disagrees with cipher %s", s.Name, s.Mode, s.Cipher)
		}
	}
	// The registry's DTLS-OK column: RC4 suites are N (RFC 6347 §4.1.2.2).
	if s, _ := LookupSuite(0x0005); s.DTLSOK {
		t.Errorf("TLS_RSA_WITH_RC4_128_SHA marked DTLS-OK")
	}
	if s, _ := LookupSuite(0xC0A8); !s.DTLSOK || s.Recommended != "N" || s.Reference != "RFC6655" {
		t.Errorf("TLS_PSK_WITH_AES_128_CCM_8: %+v", s)
	}
}

func TestIsSignalling(t *testing.T) {
	for id, want := range map[uint16]bool{
		0x00FF: true, 0x5600: true, // SCSVs: RFC 5746 §3.3, RFC 7507 §2
		0x0A0A: true, 0x2A2A: true, 0xFAFA: true, // GREASE: RFC 8701 §2
		0x0A1A: false, 0xC0A8: false, 0x0000: false, 0xFEFE: false,
	} {
		if got := IsSignalling(id); got != want {
			t.Errorf("IsSignalling(0x%04X) = %v, want %v", id, got, want)
		}
	}
}

func TestParseSuitesMalformed(t *testing.T) {
	good := "0x0001\tTLS_RSA_WITH_NULL_MD5\tRSA\tRSA\tNULL\tNULL\tMD5\tN\tY\tN\tRFC5246\n"
	for _, c := range []struct{ row, want string }{
		{"0x0002\tTLS_X\tRSA\n", "t.tsv line 3: 3 tab-separated columns, want 11"},
		{"0002\tTLS_X\tRSA\tRSA\tNULL\tNULL\tSHA\tN\tY\tN\tR\n", `t.tsv line 3: code "0002" is not 0xHHHH`},
		{"0x0001\tTLS_X\tRSA\tRSA\tNULL\tNULL\tSHA\tN\tY\tN\tR\n", "t.tsv line 3: code 0x0001 is not above the previous row's 0x0001"},
		{"0x0002\tTLS_RSA_WITH_NULL_MD5\tRSA\tRSA\tNULL\tNULL\tSHA\tN\tY\tN\tR\n", "t.tsv line 3: name TLS_RSA_WITH_NULL_MD5 already on line 2"},
		{"0x0002\tTLS_X\tRSA\tRSA\tNULL\tGCM\tSHA\tN\tY\tN\tR\n", `t.tsv line 3: mode "GCM" is not`},
		{"0x0002\tTLS_X\tRSA\tRSA\tNULL\tNULL\tSHA\tyes\tY\tN\tR\n", `t.tsv line 3: export "yes" is not Y or N`},
		{"0x0002\tTLS_X\tRSA\t\tNULL\tNULL\tSHA\tN\tY\tN\tR\n", "t.tsv line 3: column 4 is empty"},
	} {
		_, err := parseSuites("t.tsv", "# header\n"+good+c.row)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("row %q: error %v, want prefix %q", c.row, err, c.want)
		}
	}
	if _, err := parseSuites("t.tsv", "# header\n\n"+good); err != nil {
		t.Errorf("good table: %v", err)
	}
}
