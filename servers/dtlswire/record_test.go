package dtlswire

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseRecordsSingle(t *testing.T) {
	recs, err := ParseRecords(unhex(t, alertVector), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	if r.ContentType != ContentAlert || r.Version != VersionDTLS12 || r.Epoch != 0 || r.Seq != 2 || r.Length != 2 || r.CID != nil {
		t.Fatalf("header = %+v", r.RecordHeader)
	}
	if !bytes.Equal(r.Fragment, []byte{0x02, 0x2a}) {
		t.Fatalf("fragment = %x", r.Fragment)
	}
}

func TestParseRecordsSeveralPerDatagram(t *testing.T) {
	dgram := append(unhex(t, clientHelloVector), unhex(t, alertVector)...)
	// a change_cipher_spec with a 48-bit sequence number using its top bytes
	dgram = append(dgram, unhex(t, `14 fefd 0001 a1b2c3d4e5f6 0001 01`)...)
	recs, err := ParseRecords(dgram, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	want := []struct {
		typ   uint8
		ver   uint16
		epoch uint16
		seq   uint64
		n     int
	}{
		{ContentHandshake, VersionDTLS10, 0, 1, 105},
		{ContentAlert, VersionDTLS12, 0, 2, 2},
		{ContentChangeCipherSpec, VersionDTLS12, 1, 0xa1b2c3d4e5f6, 1},
	}
	for i, w := range want {
		h := recs[i].RecordHeader
		if h.ContentType != w.typ || h.Version != w.ver || h.Epoch != w.epoch || h.Seq != w.seq || h.Length != w.n || len(recs[i].Fragment) != w.n {
			t.Errorf("record %d = %+v, want %+v", i, h, w)
		}
	}
}

func TestParseRecordsConnectionID(t *testing.T) {
	dgram := unhex(t, `19 fefd 0001 000000000007 0011223344556677 0003 aabbcc`)
	recs, err := ParseRecords(dgram, 8)
	if err != nil {
		t.Fatal(err)
	}
	r := recs[0]
	if r.ContentType != ContentTLS12CID || r.Epoch != 1 || r.Seq != 7 || r.Length != 3 {
		t.Fatalf("header = %+v", r.RecordHeader)
	}
	if !bytes.Equal(r.CID, unhex(t, "0011223344556677")) || !bytes.Equal(r.Fragment, unhex(t, "aabbcc")) {
		t.Fatalf("cid %x fragment %x", r.CID, r.Fragment)
	}
	// A non-CID record next to it keeps parsing with the same cidLen.
	recs, err = ParseRecords(append(dgram, unhex(t, alertVector)...), 8)
	if err != nil || len(recs) != 2 || recs[1].CID != nil {
		t.Fatalf("mixed datagram: %v %+v", err, recs)
	}
}

func TestParseRecordsErrors(t *testing.T) {
	cases := []struct {
		name   string
		dgram  string
		cidLen int
		want   string
	}{
		{"empty", ``, 0, "empty datagram"},
		{"short header", `16 fefd 0000 0000`, 0, "truncated header"},
		{"not dtls", `16 0303 0000 000000000000 0000`, 0, "not a DTLS record"},
		{"length beyond", `16 fefd 0000 000000000000 0005 0102`, 0, "exceeds"},
		{"cid unknown", `19 fefd 0001 000000000000 0000`, 0, "no connection ID length"},
		{"cid truncated", `19 fefd 0001 000000000000 0011`, 8, "truncated tls12_cid header"},
		{"cid length range", `15 fefd 0000 000000000002 0002 02 2a`, 300, "out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRecords(unhex(t, c.dgram), c.cidLen)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
		})
	}
}

func TestParseRecordsReturnsPrefixOnError(t *testing.T) {
	dgram := append(unhex(t, alertVector), 0x16, 0xfe)
	recs, err := ParseRecords(dgram, 0)
	if err == nil {
		t.Fatal("want error for trailing garbage")
	}
	if len(recs) != 1 || recs[0].ContentType != ContentAlert {
		t.Fatalf("prefix = %+v", recs)
	}
}

func TestNames(t *testing.T) {
	checks := [][2]string{
		{ContentTypeName(25), "tls12_cid"},
		{ContentTypeName(99), "unknown(99)"},
		{VersionName(0xfefd), "DTLS 1.2"},
		{VersionName(0x0303), "0x0303"},
		{HandshakeTypeName(14), "server_hello_done"},
		{ExtensionName(54), "connection_id"},
		{ExtensionName(53), "connection_id (deprecated)"},
		{ExtensionName(0xff01), "renegotiation_info"},
		{AlertLevelName(AlertLevelFatal), "fatal"},
	}
	for _, c := range checks {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q", c[0], c[1])
		}
	}
}
