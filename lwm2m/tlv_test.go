package lwm2m

import (
	"bytes"
	"math"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

var tlv = message.AppLwm2mTLV

// The specification's Device object example, byte for byte: a Read of
// /3/0 answers with resource entries, a Read of /3 wraps them in the
// object instance entry 08 00 79.
func TestTLVSpecExampleDevice(t *testing.T) {
	want := unhex(t, deviceInstanceTLV)
	got, err := Encode(tlv, NewPath(3, 0), deviceInstance())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("encode /3/0:\n got %x\nwant %x", got, want)
	}
	recs, err := Decode(tlv, NewPath(3, 0), want, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, recs, deviceInstance())

	wrapped := append(unhex(t, "08 00 79"), want...)
	got, err = Encode(tlv, NewPath(3), deviceInstance())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wrapped) {
		t.Fatalf("encode /3:\n got %x\nwant %x", got, wrapped)
	}
	recs, err = Decode(tlv, NewPath(3), wrapped, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, recs, deviceInstance())

	// Some peers answer a Read of /3/0 with the wrapped form.
	recs, err = Decode(tlv, NewPath(3, 0), wrapped, KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, recs, deviceInstance())
}

func TestTLVResourceVectors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
		hex  string
	}{
		{"manufacturer", NewPath(3, 0, 0), []Record{{NewPath(3, 0, 0), String("Open Mobile Alliance")}},
			"c8 00 14 4f 70 65 6e 20 4d 6f 62 69 6c 65 20 41 6c 6c 69 61 6e 63 65"},
		{"error code list", NewPath(3, 0, 11), []Record{{NewPath(3, 0, 11, 0), Int(1)}, {NewPath(3, 0, 11, 1), Int(5)}},
			"86 0b 41 00 01 41 01 05"},
		{"one resource instance", NewPath(3, 0, 11, 1), []Record{{NewPath(3, 0, 11, 1), Int(5)}},
			"41 01 05"},
		{"cipher suites", NewPath(0, 1, 16), []Record{{NewPath(0, 1, 16, 0), Uint(0xC0A8)}, {NewPath(0, 1, 16, 1), Uint(0xC02B)}},
			"88 10 08 42 00 c0 a8 42 01 c0 2b"},
		{"16-bit id", NewPath(3, 0), []Record{{NewPath(3, 0, 300), Int(-1)}},
			"e1 01 2c ff"},
		{"negative 16-bit integer", NewPath(3, 0, 7), []Record{{NewPath(3, 0, 7), Int(-129)}},
			"c2 07 ff 7f"},
		{"8-byte integer", NewPath(3, 0, 7), []Record{{NewPath(3, 0, 7), Int(math.MinInt64)}},
			"c8 07 08 80 00 00 00 00 00 00 00"},
		{"unsigned 255 stays 1 byte", NewPath(1, 0, 11), []Record{{NewPath(1, 0, 11), Uint(255)}},
			"c1 0b ff"},
		{"float", NewPath(3, 0, 9), []Record{{NewPath(3, 0, 9), Float(1.5)}},
			"c8 09 08 3f f8 00 00 00 00 00 00"},
		{"boolean", NewPath(1, 0, 6), []Record{{NewPath(1, 0, 6), Bool(true)}},
			"c1 06 01"},
		{"objlnk", NewPath(1, 0, 10), []Record{{NewPath(1, 0, 10), ObjLinkValue(ObjLink{11, 258})}},
			"c4 0a 00 0b 01 02"},
		{"empty object instance", NewPath(1), []Record{{NewPath(1, 3), Value{}}},
			"00 03"},
		{"empty multiple resource", NewPath(3, 0), []Record{{NewPath(3, 0, 11), Value{}}},
			"80 0b"},
		{"empty string", NewPath(0, 0, 14), []Record{{NewPath(0, 0, 14), String("")}},
			"c0 0e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := unhex(t, c.hex)
			got, err := Encode(tlv, c.base, c.recs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("got %x want %x", got, want)
			}
			kind := KindOf
			if c.name == "16-bit id" || c.name == "float" {
				kind = func(p Path) (Kind, bool) { return c.recs[0].Value.Kind, true }
			}
			back, err := Decode(tlv, c.base, want, kind)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, back, c.recs)
		})
	}
}

func TestTLVDecodesOtherWidths(t *testing.T) {
	cases := []struct {
		hex  string
		kind Kind
		want Value
	}{
		{"c4 09 00 00 00 64", KindInteger, Int(100)}, // non-minimal integer
		{"c2 09 ff ff", KindInteger, Int(-1)},        // sign extension
		{"c8 09 08 ff ff ff ff ff ff ff ff", KindUnsignedInteger, Uint(math.MaxUint64)},
		{"c4 09 3f c0 00 00", KindFloat, Float(1.5)},       // 4-byte float
		{"c8 09 00", KindString, String("")},               // 8-bit length field holding 0
		{"d0 09 00 02 68 69", KindString, String("hi")},    // 16-bit length field
		{"d8 09 00 00 02 68 69", KindString, String("hi")}, // 24-bit length field
	}
	for _, c := range cases {
		kind := func(Path) (Kind, bool) { return c.kind, true }
		got, err := Decode(tlv, NewPath(3, 0), unhex(t, c.hex), kind)
		if err != nil {
			t.Errorf("%s: %v", c.hex, err)
			continue
		}
		assertRecords(t, got, []Record{{NewPath(3, 0, 9), c.want}})
	}
}

func TestTLVRoundTripRealisticInstances(t *testing.T) {
	sec := append(securityInstance(t, 0), securityInstance(t, 1)...)
	cases := []struct {
		name string
		base Path
		recs []Record
	}{
		{"device instance", NewPath(3, 0), deviceInstance()},
		{"security instance", NewPath(0, 1), securityInstance(t, 1)},
		{"security object", NewPath(0), sec},
		{"server instance", NewPath(1, 0), serverInstance()},
		{"certificate alone", NewPath(0, 0, 4), securityInstance(t, 0)[4:5]},
		{"large opaque needs 24-bit length", NewPath(0, 0, 3), []Record{{NewPath(0, 0, 3), Opaque(bytes.Repeat([]byte{0xa5}, 70000))}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(tlv, c.base, c.recs)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Decode(tlv, c.base, b, KindOf)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, back, sortedRecords(c.recs))
		})
	}
}

func TestTLVUnknownKindsStayOpaque(t *testing.T) {
	got, err := Decode(tlv, NewPath(3, 0), unhex(t, "c1 09 64"), nil)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, got, []Record{{NewPath(3, 0, 9), Opaque([]byte{0x64})}})
}

func TestTLVDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		hex  string
		msg  string
	}{
		{"root", Path{}, "c1 09 64", "root path"},
		{"truncated header", NewPath(3, 0), "c8 00", "header truncated"},
		{"length beyond buffer", NewPath(3, 0), "c8 00 14 4f 70", "length 20 exceeds the 2 bytes left"},
		{"huge 24-bit length", NewPath(3, 0), "d8 00 ff ff ff 00", "length 16777215 exceeds"},
		{"16-bit id truncated", NewPath(3, 0), "e1 01", "header truncated"},
		{"resource at object level", NewPath(3), "c1 09 64", "cannot appear at the top"},
		{"instance id mismatch", NewPath(3, 0), "08 01 03 c1 09 64", "object instance 1 does not match /3/0"},
		{"instance in instance", NewPath(3), "08 00 02 00 01", "object instance cannot hold a object instance"},
		{"resource in multiple resource", NewPath(3, 0), "83 0b c1 00 01", "multiple resource cannot hold a resource"},
		{"duplicate resource", NewPath(3, 0), "c1 09 64 c1 09 65", "/3/0/9 appears twice"},
		{"value and instances", NewPath(3, 0, 11), "c1 0b 00 41 00 01", "lies below /3/0/11, which has no children"},
		{"empty container then child", NewPath(3, 0, 11), "80 0b 41 00 01", "lies below /3/0/11"},
		{"bad integer width", NewPath(3, 0), "c3 09 00 00 01", "integer of 3 bytes"},
		{"bad boolean", NewPath(1, 0), "c1 06 02", "boolean must be one byte 0 or 1"},
		{"bad float width", NewPath(3, 0), "c2 09 00 00", "float of 2 bytes"},
		{"invalid UTF-8", NewPath(3, 0), "c2 00 c3 28", "not valid UTF-8"},
		{"short objlnk", NewPath(1, 0), "c2 0a 00 01", "objlnk of 2 bytes"},
		{"executable with value", NewPath(3, 0), "c1 04 01", "executable"},
		{"empty payload for a resource", NewPath(3, 0, 0), "", "empty TLV payload"},
		{"truncated nested entry", NewPath(3, 0), "82 0b 41 00", "entry at offset 2: length 1 exceeds the 0 bytes left"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind := KindOf
			if c.name == "bad float width" {
				kind = func(Path) (Kind, bool) { return KindFloat, true }
			}
			_, err := Decode(tlv, c.base, unhex(t, c.hex), kind)
			assertErrContains(t, err, c.msg)
		})
	}
}

func TestTLVEncodeErrors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
		msg  string
	}{
		{"root", Path{}, []Record{{NewPath(3, 0, 0), String("x")}}, "root path"},
		{"outside base", NewPath(3, 0), []Record{{NewPath(1, 0, 0), Int(1)}}, "not below /3/0"},
		{"duplicate", NewPath(3, 0), []Record{{NewPath(3, 0, 1), Int(1)}, {NewPath(3, 0, 1), Int(2)}}, "appears twice"},
		{"value and instances", NewPath(3, 0), []Record{{NewPath(3, 0, 11), Int(1)}, {NewPath(3, 0, 11, 0), Int(2)}}, "beside records below it"},
		{"value at instance", NewPath(3), []Record{{NewPath(3, 0), Int(1)}}, "cannot hold a value"},
		{"object record", NewPath(3), []Record{{NewPath(3), Value{}}}, "names an object"},
		{"no value", NewPath(3, 0, 11, 0), []Record{{NewPath(3, 0, 11, 0), Value{}}}, "has no value"},
		{"nothing at a resource", NewPath(3, 0, 0), nil, "no record to encode"},
		{"invalid UTF-8", NewPath(3, 0), []Record{{NewPath(3, 0, 0), String("\xff")}}, "not valid UTF-8"},
		{"bad kind", NewPath(3, 0), []Record{{NewPath(3, 0, 0), Value{Kind: 42}}}, "invalid value kind"},
		{"too long", NewPath(3, 0, 0), []Record{{NewPath(3, 0, 0), Opaque(make([]byte, 1<<24))}}, "exceed the TLV maximum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Encode(tlv, c.base, c.recs)
			assertErrContains(t, err, c.msg)
		})
	}
}

func TestTLVEmptyObjectPayload(t *testing.T) {
	b, err := Encode(tlv, NewPath(0), nil)
	if err != nil || len(b) != 0 {
		t.Fatalf("an object without instances is an empty payload: %x %v", b, err)
	}
	recs, err := Decode(tlv, NewPath(0), nil, KindOf)
	if err != nil || len(recs) != 0 {
		t.Fatalf("decode empty: %v %v", recs, err)
	}
}
