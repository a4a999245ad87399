package lwm2m

import (
	"bytes"
	"math"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/plgd-dev/go-coap/v3/message"
)

var senmlCBOR = message.AppSenmlCbor

// The SenML JSON example in CBOR, byte for byte: integer labels, keys in
// deterministic order (n=0, v=2, vs=3, then bn=-2).
func TestSenMLCBORVector(t *testing.T) {
	want := unhex(t, "82"+
		"a3 00 61 30 03 74 4f 70 65 6e 20 4d 6f 62 69 6c 65 20 41 6c 6c 69 61 6e 63 65 21 65 2f 33 2f 30 2f"+
		"a2 00 61 39 02 18 64")
	recs := []Record{
		{NewPath(3, 0, 0), String("Open Mobile Alliance")},
		{NewPath(3, 0, 9), Int(100)},
	}
	got, err := Encode(senmlCBOR, NewPath(3, 0), recs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	back, err := Decode(senmlCBOR, NewPath(3, 0), want, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, recs)
}

func TestSenMLCBORLabels(t *testing.T) {
	// bn written first, as RFC 8428's examples do: {bn:"/0/0/", n:"4", vd:h'fbff'}
	in := unhex(t, "81 a3 21 65 2f 30 2f 30 2f 00 61 34 08 42 fb ff")
	got, err := Decode(senmlCBOR, Path{}, in, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{NewPath(0, 0, 4), Opaque([]byte{0xfb, 0xff})}})

	pack := []map[any]any{
		{int64(-2): "/1/0/", 0: "10", "vlo": "11:0"},
		{0: "6", 4: true},
		{0: "11", 2: uint64(math.MaxUint64)},
		{0: "12", 2: int64(1700000000), 6: -5.0, 1: "s"}, // t and u are ignored
	}
	b, err := cbor.Marshal(pack)
	if err != nil {
		t.Fatal(err)
	}
	got, err = Decode(senmlCBOR, NewPath(1, 0), b, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{
		{NewPath(1, 0, 10), ObjLinkValue(ObjLink{11, 0})},
		{NewPath(1, 0, 6), Bool(true)},
		{NewPath(1, 0, 11), Uint(math.MaxUint64)},
		{NewPath(1, 0, 12), UnixTime(1700000000)},
	})
}

func TestSenMLCBORRoundTripRealisticInstances(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
	}{
		{"device instance", NewPath(3, 0), deviceInstance()},
		{"security instance with certificate", NewPath(0, 0), securityInstance(t, 0)},
		{"server instance", NewPath(1, 0), serverInstance()},
		{"several objects", Path{}, append(serverInstance(), deviceInstance()...)},
		{"composite request", Path{}, []Record{{NewPath(3, 0), Value{}}, {NewPath(0, 1, 14), Value{}}}},
		{"non-finite floats", NewPath(5, 0), []Record{{NewPath(5, 0, 0), Float(math.Inf(-1))}, {NewPath(5, 0, 1), Float(math.NaN())}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(senmlCBOR, c.base, c.recs)
			if err != nil {
				t.Fatal(err)
			}
			if err := cbor.Wellformed(b); err != nil {
				t.Fatalf("not CBOR: %v", err)
			}
			back, err := Decode(senmlCBOR, c.base, b, KindOf)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, back, c.recs)
		})
	}
}

func TestSenMLCBORDecodeErrors(t *testing.T) {
	mk := func(v any) []byte {
		b, err := cbor.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"empty", nil, "EOF"},
		{"not an array", mk(map[int]string{0: "/3/0/0"}), "SenML CBOR"},
		{"truncated", unhex(t, "82 a1 00 66 2f 33"), "unexpected EOF"},
		{"trailing bytes", append(mk([]any{}), 0x00), "extraneous data"},
		{"invalid UTF-8", unhex(t, "81 a1 00 62 c3 28"), "invalid UTF-8"},
		{"duplicate label", unhex(t, "81 a2 00 61 31 00 61 32"), "duplicate map key"},
		{"array bomb", unhex(t, "9b 00 00 00 01 00 00 00 00"), "exceeded max number of elements"},
		{"string bomb", unhex(t, "81 a1 00 7b 00 00 00 00 ff ff ff ff"), "unexpected EOF"},
		{"deep nesting", bytes.Repeat([]byte{0x81}, 100), "exceeded max nested level"},
		{"name not text", mk([]map[int]any{{0: 3}}), "not a text string"},
		{"name not a path", mk([]map[int]any{{0: "temp", 2: 1}}), "not an LwM2M path"},
		{"value not a number", mk([]map[int]any{{0: "/3/0/9", 2: "1"}}), "not a number"},
		{"bignum", unhex(t, "81 a2 00 66 2f 33 2f 30 2f 39 02 c2 49 01 00 00 00 00 00 00 00 00"), "not a number"},
		{"vd not bytes", mk([]map[int]any{{0: "/0/0/5", 8: "AAA"}}), "not a byte string"},
		{"vb not bool", mk([]map[int]any{{0: "/1/0/6", 4: 1}}), "not a boolean"},
		{"two values", mk([]map[int]any{{0: "/3/0/9", 2: 1, 3: "x"}}), "at most one value"},
		{"kind mismatch", mk([]map[int]any{{0: "/3/0/0", 2: 1}}), "resource is String but the record carries a number"},
		{"must-understand", mk([]map[any]any{{0: "/3/0/9", 2: 1, "z_": 1}}), "must-understand"},
		{"sum", mk([]map[int]any{{0: "/3/0/9", 5: 1}}), "not used by LwM2M"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(senmlCBOR, Path{}, c.in, KindOf)
			assertErrContains(t, err, c.msg)
		})
	}
	_, err := Decode(senmlCBOR, NewPath(3, 0), mk([]map[int]any{{0: "/1/0/1", 2: 1}}), KindOf)
	assertErrContains(t, err, "/1/0/1 is not below /3/0")
}
