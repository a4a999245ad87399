package lwm2m

import (
	"bytes"
	"math"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

var cborFmt = message.AppCBOR

func TestCBORValueVectors(t *testing.T) {
	cases := []struct {
		p   Path
		v   Value
		hex string
	}{
		{NewPath(3, 0, 0), String("OMA"), "63 4f 4d 41"},
		{NewPath(3, 0, 9), Int(100), "18 64"},
		{NewPath(3, 0, 9), Int(-1), "20"},
		{NewPath(0, 0, 15), Uint(3), "03"},
		{NewPath(1, 0, 6), Bool(false), "f4"},
		{NewPath(0, 0, 5), Opaque([]byte{1, 2}), "42 01 02"},
		{NewPath(3, 0, 13), UnixTime(1367491215), "c1 1a 51 82 42 8f"},
		{NewPath(1, 0, 10), ObjLinkValue(ObjLink{11, 0}), "64 31 31 3a 30"},
	}
	for _, c := range cases {
		want := unhex(t, c.hex)
		got, err := Encode(cborFmt, c.p, []Record{{c.p, c.v}})
		if err != nil {
			t.Errorf("%v: %v", c.p, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%v: got %x want %x", c.p, got, want)
		}
		back, err := Decode(cborFmt, c.p, want, KindOf)
		if err != nil {
			t.Errorf("%v: %v", c.p, err)
			continue
		}
		assertRecords(t, back, []Record{{c.p, c.v}})
	}
}

func TestCBORValueInfersAndConverts(t *testing.T) {
	floatKind := func(Path) (Kind, bool) { return KindFloat, true }
	p := NewPath(3303, 0, 5700)
	got, err := Decode(cborFmt, p, unhex(t, "fb 40 09 21 f9 f0 1b 86 6e"), nil)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{p, Float(3.14159)}})
	got, err = Decode(cborFmt, p, unhex(t, "18 64"), floatKind)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{p, Float(100)}})
	got, err = Decode(cborFmt, p, unhex(t, "1b ff ff ff ff ff ff ff ff"), nil)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{p, Uint(math.MaxUint64)}})
	got, err = Decode(cborFmt, NewPath(3, 0, 13), unhex(t, "1a 51 82 42 8f"), KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{NewPath(3, 0, 13), UnixTime(1367491215)}})
}

func TestCBORValueErrors(t *testing.T) {
	cases := []struct {
		name string
		p    Path
		hex  string
		msg  string
	}{
		{"instance path", NewPath(3, 0), "01", "needs a resource path"},
		{"empty", NewPath(3, 0, 9), "", "EOF"},
		{"two items", NewPath(3, 0, 9), "01 02", "extraneous data"},
		{"text for integer", NewPath(3, 0, 9), "61 31", "CBOR text string cannot be Integer"},
		{"negative unsigned", NewPath(0, 0, 15), "20", "CBOR integer cannot be Unsigned Integer"},
		{"huge integer", NewPath(3, 0, 9), "1b ff ff ff ff ff ff ff ff", "cannot be Integer"},
		{"fractional time", NewPath(3, 0, 13), "c1 fb 3f f8 00 00 00 00 00 00", "not a whole second"},
		{"bad objlnk", NewPath(1, 0, 10), "61 31", "lacks the ':' separator"},
		{"array", NewPath(3, 0, 0), "80", "CBOR array cannot be String"},
		{"executable", NewPath(3, 0, 4), "01", "executable"},
		{"invalid UTF-8", NewPath(3, 0, 0), "62 c3 28", "invalid UTF-8"},
		{"unknown kind null", NewPath(9, 0, 0), "f6", "CBOR null is not an LwM2M value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(cborFmt, c.p, unhex(t, c.hex), KindOf)
			assertErrContains(t, err, c.msg)
		})
	}
}
