package dtlswire

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/pion/dtls/v2"
)

func TestParseAlert(t *testing.T) {
	recs, err := ParseRecords(unhex(t, alertVector), 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAlert(recs[0].Fragment)
	if err != nil {
		t.Fatal(err)
	}
	if a.Level != AlertLevelFatal || a.Description != 42 || a.Name != "bad_certificate" {
		t.Fatalf("%+v", a)
	}
}

func TestParseAlertErrors(t *testing.T) {
	for _, c := range []struct {
		frag []byte
		want string
	}{
		{nil, "0 bytes"},
		{[]byte{2}, "1 bytes"},
		{[]byte{2, 42, 0, 0, 0, 0}, "6 bytes"},
		{[]byte{7, 42}, "level 7"},
	} {
		if _, err := ParseAlert(c.frag); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseAlert(%x) err = %v, want containing %q", c.frag, err, c.want)
		}
	}
}

func TestAlertName(t *testing.T) {
	for desc, want := range map[uint8]string{
		0: "close_notify", 40: "handshake_failure", 42: "bad_certificate", 45: "certificate_expired",
		46: "certificate_unknown", 48: "unknown_ca", 80: "internal_error", 112: "unrecognized_name",
		115: "unknown_psk_identity", 200: "unknown(200)",
	} {
		if got := AlertName(desc); got != want {
			t.Errorf("AlertName(%d) = %q, want %q", desc, got, want)
		}
	}
}

// The names must agree with the two TLS stacks the project links.
func TestCipherSuiteNameAgreesWithStdlibAndPion(t *testing.T) {
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if got := CipherSuiteName(s.ID); got != s.Name {
			t.Errorf("0x%04X: %q, crypto/tls says %q", s.ID, got, s.Name)
		}
	}
	for _, id := range []dtls.CipherSuiteID{
		dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
		dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, dtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, dtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		dtls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, dtls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
		dtls.TLS_PSK_WITH_AES_128_CCM, dtls.TLS_PSK_WITH_AES_128_CCM_8, dtls.TLS_PSK_WITH_AES_256_CCM_8,
		dtls.TLS_PSK_WITH_AES_128_GCM_SHA256, dtls.TLS_PSK_WITH_AES_128_CBC_SHA256,
		dtls.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
	} {
		// pion spells one name with dashes; the IANA name uses underscores.
		want := strings.ReplaceAll(dtls.CipherSuiteName(id), "-", "_")
		if got := CipherSuiteName(uint16(id)); got != want {
			t.Errorf("0x%04X: %q, pion says %q", uint16(id), got, want)
		}
	}
	for id, want := range map[uint16]string{0x00ff: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", 0x2a2a: "GREASE", 0xfefe: "0xFEFE", 0x0a1a: "0x0A1A"} {
		if got := CipherSuiteName(id); got != want {
			t.Errorf("0x%04X: %q, want %q", id, got, want)
		}
	}
}
