package report

import (
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

func TestHelloViewsFoldCookieRetryAndKeepChanges(t *testing.T) {
	h := events.Hello{Version: "DTLS 1.2", CipherSuites: []uint16{0xC0A8, 0x0A0A, 0x1234}, Extensions: []uint16{0, 54, 0xFF01}}
	h.HasSNI, h.SNI = true, "srv.example"
	retry := h
	retry.CookieLen = 32
	changed := h
	changed.CipherSuites = []uint16{0xC0AE}
	es := []events.Event{
		{Time: t0, Kind: events.ClientHello, Hello: &h},
		{Time: t0.Add(5 * time.Millisecond), Kind: events.Note, Summary: "HelloVerifyRequest sent"},
		{Time: t0.Add(10 * time.Millisecond), Kind: events.ClientHello, Hello: &retry},
		{Time: t0.Add(1 * time.Second), Kind: events.ClientHello, Hello: &changed},
	}
	vs := helloViews(es, nil)
	if len(vs) != 2 {
		t.Fatalf("%d hello views, want 2 (cookie retry folded, changed offer kept)", len(vs))
	}
	if got := vs[0].Seen; len(got) != 2 || got[0] != "+0.0 ms" || got[1] != "+10.0 ms" {
		t.Errorf("first hello seen at %v", got)
	}
	if got := vs[0].Cookies; got[0] != "0" || got[1] != "32" {
		t.Errorf("cookie lengths %v", got)
	}
	if !vs[0].HasSNI || vs[0].SNI != "srv.example" {
		t.Errorf("SNI = %v %q", vs[0].HasSNI, vs[0].SNI)
	}
	wantSuites := []string{"TLS_PSK_WITH_AES_128_CCM_8", "GREASE", "0x1234"} // unknown suites show their code
	for i, w := range wantSuites {
		if vs[0].Suites[i].Name != w {
			t.Errorf("suite %d = %s, want %s", i, vs[0].Suites[i].Name, w)
		}
	}
	wantExt := []string{"server_name", "connection_id", "renegotiation_info"}
	for i, w := range wantExt {
		if vs[0].Extensions[i].Name != w {
			t.Errorf("extension %d = %s, want %s", i, vs[0].Extensions[i].Name, w)
		}
	}
	if vs[1].Seen[0] != "+1.000 s" || vs[1].Suites[0].Hex != "0xC0AE" {
		t.Errorf("second hello = %+v", vs[1])
	}
}

func TestCipherSuiteName(t *testing.T) {
	for v, want := range map[uint16]string{
		0xC0AE: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
		0x00A8: "TLS_PSK_WITH_AES_128_GCM_SHA256",
		0xBEEF: "0xBEEF",
	} {
		if got := CipherSuiteName(v); got != want {
			t.Errorf("CipherSuiteName(%#x) = %s, want %s", v, got, want)
		}
	}
}
