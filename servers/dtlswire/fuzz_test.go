package dtlswire

import (
	"testing"
)

func FuzzParseRecords(f *testing.F) {
	f.Add(unhex(f, clientHelloVector), 0)
	f.Add(unhex(f, alertVector), 0)
	f.Add(unhex(f, `19 fefd 0001 000000000007 0011223344556677 0003 aabbcc`), 8)
	f.Add(append(unhex(f, alertVector), unhex(f, clientHelloVector)...), 4)
	f.Fuzz(func(t *testing.T, dgram []byte, cidLen int) {
		recs, err := ParseRecords(dgram, cidLen)
		total := 0
		for _, r := range recs {
			if r.Length != len(r.Fragment) {
				t.Fatalf("Length %d but fragment of %d bytes", r.Length, len(r.Fragment))
			}
			if r.ContentType == ContentTLS12CID && len(r.CID) != cidLen {
				t.Fatalf("CID of %d bytes, want %d", len(r.CID), cidLen)
			}
			total += recordHeaderLen + len(r.CID) + r.Length
		}
		if err == nil && total != len(dgram) {
			t.Fatalf("records cover %d of %d bytes", total, len(dgram))
		}
		if total > len(dgram) {
			t.Fatalf("records cover %d bytes of a %d-byte datagram", total, len(dgram))
		}
	})
}

func FuzzParseClientHello(f *testing.F) {
	f.Add(unhex(f, clientHelloVector)[13:])
	f.Add(unhex(f, pionClientHelloGolden)[13:])
	f.Add(unhex(f, `01 000032 0000 000000 000032 feff
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
08 0102030405060708 00 0002 002f 01 00`))
	f.Fuzz(func(t *testing.T, frag []byte) {
		h, err := ParseClientHello(frag)
		if err != nil {
			if h != nil {
				t.Fatal("result and error together")
			}
			return
		}
		if len(h.CipherSuites) == 0 || len(h.SessionID) > maxSessionIDLen || h.CookieLen > 255 {
			t.Fatalf("accepted an invalid hello: %+v", h)
		}
		if h.HasSNI != contains(h.Extensions, ExtServerName) {
			t.Fatalf("HasSNI %v with extensions %v", h.HasSNI, h.Extensions)
		}
		if h.ConnectionID != (contains(h.Extensions, ExtConnectionID) || contains(h.Extensions, ExtConnectionIDDraft)) {
			t.Fatalf("ConnectionID %v with extensions %v", h.ConnectionID, h.Extensions)
		}
	})
}

func FuzzParseServerHello(f *testing.F) {
	f.Add(unhex(f, `02 000039 0000 000000 000039 fefd
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
04 cafebabe c0a8 00 000d 0036 0009 08 0011223344556677`))
	f.Fuzz(func(t *testing.T, frag []byte) {
		sh, err := ParseServerHello(frag)
		if err == nil && sh.HasConnectionID != (contains(sh.Extensions, ExtConnectionID) || contains(sh.Extensions, ExtConnectionIDDraft)) {
			t.Fatalf("HasConnectionID %v with extensions %v", sh.HasConnectionID, sh.Extensions)
		}
	})
}

func FuzzParseAlert(f *testing.F) {
	f.Add([]byte{2, 42})
	f.Add([]byte{1, 0})
	f.Add([]byte{2, 42, 0})
	f.Fuzz(func(t *testing.T, frag []byte) {
		a, err := ParseAlert(frag)
		if err != nil {
			return
		}
		if len(frag) != 2 || a.Level != frag[0] || a.Description != frag[1] || a.Name != AlertName(frag[1]) {
			t.Fatalf("ParseAlert(%x) = %+v", frag, a)
		}
	})
}

func contains(list []uint16, v uint16) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
