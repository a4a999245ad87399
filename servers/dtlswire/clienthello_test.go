package dtlswire

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseClientHelloVector(t *testing.T) {
	recs, err := ParseRecords(unhex(t, clientHelloVector), 0)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseClientHello(recs[0].Fragment)
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != "DTLS 1.2" {
		t.Errorf("version %q", h.Version)
	}
	if !h.HasSNI || h.SNI != "lwm2m.example" {
		t.Errorf("sni %v %q", h.HasSNI, h.SNI)
	}
	if !reflect.DeepEqual(h.CipherSuites, []uint16{0xc0a8, 0xc0ae, 0x00ff}) {
		t.Errorf("suites %x", h.CipherSuites)
	}
	if !reflect.DeepEqual(h.Extensions, []uint16{0, 10, 54, 23}) {
		t.Errorf("extensions %v", h.Extensions)
	}
	if !reflect.DeepEqual(h.SupportedGroups, []uint16{0x1d, 0x17}) {
		t.Errorf("groups %v", h.SupportedGroups)
	}
	if h.CookieLen != 4 || h.SessionID != nil || !h.ConnectionID {
		t.Errorf("cookie %d sid %x cid %v", h.CookieLen, h.SessionID, h.ConnectionID)
	}
}

func TestParseClientHelloMinimal(t *testing.T) {
	// No extensions at all, a session id to resume, DTLS 1.0.
	frag := unhex(t, `
01 000032 0000 000000 000032
feff
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
08 0102030405060708
00
0002 002f
01 00`)
	h, err := ParseClientHello(frag)
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != "DTLS 1.0" || h.HasSNI || h.ConnectionID || len(h.Extensions) != 0 {
		t.Fatalf("%+v", h)
	}
	if !bytes.Equal(h.SessionID, unhex(t, "0102030405060708")) {
		t.Fatalf("session id %x", h.SessionID)
	}
	frag[20] ^= 0xff // the result must not alias the input
	if !bytes.Equal(h.SessionID, unhex(t, "0102030405060708")) {
		t.Fatal("session id aliases the input")
	}
}

func TestParseClientHelloDraftConnectionID(t *testing.T) {
	frag := unhex(t, `
01 000033 0000 000000 000033
fefd
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
00 00 0002 c0a8 01 00
0007 0035 0003 02 abcd`)
	h, err := ParseClientHello(frag)
	if err != nil {
		t.Fatal(err)
	}
	if !h.ConnectionID || !reflect.DeepEqual(h.Extensions, []uint16{53}) {
		t.Fatalf("%+v", h)
	}
}

func TestParseClientHelloErrors(t *testing.T) {
	base := unhex(t, clientHelloVector)[13:] // handshake fragment of the vector
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), base...)) }
	cases := []struct {
		name string
		frag []byte
		want string
	}{
		{"short header", base[:5], "truncated handshake header"},
		{"not client hello", mut(func(b []byte) []byte { b[0] = 2; return b }), "handshake type server_hello"},
		{"fragment beyond record", base[:40], "exceeds"},
		{"fragmented", mut(func(b []byte) []byte { b[3] = 0x70; return b }), "fragmented"},
		{"offset fragment", mut(func(b []byte) []byte { b[3] = 0x70; b[8] = 0x13; return b }), "fragmented"},
		{"session id too long", mut(func(b []byte) []byte { b[12+34] = 33; return b }), "session_id"},
		{"odd suites", mut(func(b []byte) []byte { b[12+41] = 0x05; return b }), "cipher_suites"},
		{"trailing after extensions", mut(func(b []byte) []byte {
			b = append(b, 0xee)
			b[3]++
			b[11]++
			return b
		}), "trailing"},
		{"bad sni", mut(func(b []byte) []byte { b[12+56] = 0x11; return b }), "server_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := ParseClientHello(c.frag)
			if err == nil {
				t.Fatalf("no error, got %+v", h)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
		})
	}
}

func TestParseClientHelloFragmentedIsErrFragmented(t *testing.T) {
	frag := unhex(t, clientHelloVector)[13:]
	frag[3] = 0x70 // claims a longer message than the fragment holds
	if _, err := ParseClientHello(frag); !errors.Is(err, ErrFragmented) {
		t.Fatalf("err = %v, want ErrFragmented", err)
	}
}

func TestParseServerHello(t *testing.T) {
	frag := unhex(t, `
02 000039 0000 000000 000039
fefd
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
04 cafebabe
c0a8 00
000d
  0036 0009 08 0011223344556677
`)
	sh, err := ParseServerHello(frag)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Version != VersionDTLS12 || sh.CipherSuite != 0xc0a8 || !bytes.Equal(sh.SessionID, unhex(t, "cafebabe")) {
		t.Fatalf("%+v", sh)
	}
	if !sh.HasConnectionID || !bytes.Equal(sh.ConnectionID, unhex(t, "0011223344556677")) {
		t.Fatalf("cid %v %x", sh.HasConnectionID, sh.ConnectionID)
	}
	if _, err := ParseServerHello(frag[:30]); err == nil {
		t.Fatal("truncated ServerHello accepted")
	}
}
