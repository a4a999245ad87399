package lwm2m

import (
	"bytes"
	"math"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

var (
	textFmt   = message.TextPlain
	opaqueFmt = message.AppOctets
)

func TestTextRoundTrip(t *testing.T) {
	cases := []struct {
		p    Path
		v    Value
		text string
	}{
		{NewPath(3, 0, 0), String("Open Mobile Alliance"), "Open Mobile Alliance"},
		{NewPath(1, 0, 1), Int(86400), "86400"},
		{NewPath(0, 0, 15), Uint(3), "3"},
		{NewPath(0, 0, 16, 1), Uint(0xC02B), "49195"},
		{NewPath(1, 0, 6), Bool(true), "1"},
		{NewPath(3, 0, 13), UnixTime(1367491215), "1367491215"},
		{NewPath(1, 0, 10), ObjLinkValue(ObjLink{11, 0}), "11:0"},
		{NewPath(0, 0, 5), Opaque([]byte{0, 1, 2, 0xff}), "AAEC/w=="},
		{NewPath(0, 0, 14), String(""), ""},
	}
	for _, c := range cases {
		b, err := Encode(textFmt, c.p, []Record{{c.p, c.v}})
		if err != nil {
			t.Errorf("%v: %v", c.p, err)
			continue
		}
		if string(b) != c.text {
			t.Errorf("%v: text %q, want %q", c.p, b, c.text)
		}
		back, err := Decode(textFmt, c.p, b, KindOf)
		if err != nil {
			t.Errorf("%v: %v", c.p, err)
			continue
		}
		assertRecords(t, back, []Record{{c.p, c.v}})
	}
	floatKind := func(Path) (Kind, bool) { return KindFloat, true }
	back, err := Decode(textFmt, NewPath(3303, 0, 5700), []byte("-12.75"), floatKind)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, []Record{{NewPath(3303, 0, 5700), Float(-12.75)}})
	// An unknown resource reads as a String.
	back, err = Decode(textFmt, NewPath(3303, 0, 5701), []byte("Cel"), KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, []Record{{NewPath(3303, 0, 5701), String("Cel")}})
}

func TestTextErrors(t *testing.T) {
	dec := []struct {
		name string
		p    Path
		in   string
		msg  string
	}{
		{"instance path", NewPath(3, 0), "1", "needs a resource path"},
		{"not an integer", NewPath(1, 0, 1), "12s", "resource /1/0/1 (Integer): \"12s\" is not a decimal integer"},
		{"not a boolean", NewPath(1, 0, 6), "yes", "not a boolean"},
		{"executable", NewPath(3, 0, 4), "", "executable resource has no value"},
		{"invalid UTF-8", NewPath(3, 0, 0), "\xc3\x28", "not valid UTF-8"},
		{"padding missing", NewPath(0, 0, 5), "AAEC/w", "not base64"},
	}
	for _, c := range dec {
		t.Run("decode "+c.name, func(t *testing.T) {
			_, err := Decode(textFmt, c.p, []byte(c.in), KindOf)
			assertErrContains(t, err, c.msg)
		})
	}
	enc := []struct {
		name string
		base Path
		recs []Record
		msg  string
	}{
		{"two records", NewPath(3, 0, 0), []Record{{NewPath(3, 0, 0), String("a")}, {NewPath(3, 0, 0), String("b")}}, "carries one record, got 2"},
		{"no record", NewPath(3, 0, 0), nil, "carries one record, got 0"},
		{"other path", NewPath(3, 0, 0), []Record{{NewPath(3, 0, 1), String("a")}}, "/3/0/1 is not at /3/0/0"},
		{"instance base", NewPath(3, 0), []Record{{NewPath(3, 0), String("a")}}, "needs a resource path"},
		{"no value", NewPath(3, 0, 4), []Record{{NewPath(3, 0, 4), Value{}}}, "has no value"},
		{"NaN", NewPath(5, 0, 1), []Record{{NewPath(5, 0, 1), Float(math.NaN())}}, "cannot carry NaN"},
		{"bad UTF-8", NewPath(3, 0, 0), []Record{{NewPath(3, 0, 0), String("\xff")}}, "not valid UTF-8"},
	}
	for _, c := range enc {
		t.Run("encode "+c.name, func(t *testing.T) {
			_, err := Encode(textFmt, c.base, c.recs)
			assertErrContains(t, err, c.msg)
		})
	}
}

func TestOpaque(t *testing.T) {
	cert := testCertDER(t)
	p := NewPath(0, 0, 4)
	b, err := Encode(opaqueFmt, p, []Record{{p, Opaque(cert)}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, cert) {
		t.Fatal("opaque payload must be the raw bytes")
	}
	back, err := Decode(opaqueFmt, p, b, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, []Record{{p, Opaque(cert)}})
	b[0] ^= 0xff
	if o, _ := back[0].Value.AsOpaque(); o[0] != cert[0] {
		t.Fatal("decoded opaque must not alias the payload")
	}

	_, err = Encode(opaqueFmt, NewPath(3, 0, 0), []Record{{NewPath(3, 0, 0), String("x")}})
	assertErrContains(t, err, "carries an Opaque value, not String")
	_, err = Decode(opaqueFmt, NewPath(3, 0, 0), []byte("x"), KindOf)
	assertErrContains(t, err, "resource /3/0/0 is String, not Opaque")
	_, err = Decode(opaqueFmt, NewPath(0, 0), []byte("x"), KindOf)
	assertErrContains(t, err, "needs a resource path")
}
