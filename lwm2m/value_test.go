package lwm2m

import (
	"math"
	"testing"
	"time"
)

func TestValueAccessors(t *testing.T) {
	if s, ok := String("x").AsString(); !ok || s != "x" {
		t.Error("AsString")
	}
	if _, ok := Int(1).AsString(); ok {
		t.Error("AsString on Integer must fail")
	}
	if i, ok := Int(-5).AsInt(); !ok || i != -5 {
		t.Error("AsInt")
	}
	if i, ok := Uint(3).AsInt(); !ok || i != 3 {
		t.Error("AsInt on a small Unsigned Integer")
	}
	if _, ok := Uint(math.MaxUint64).AsInt(); ok {
		t.Error("AsInt on an Unsigned Integer beyond int64 must fail")
	}
	if u, ok := Int(7).AsUint(); !ok || u != 7 {
		t.Error("AsUint on a non-negative Integer")
	}
	if _, ok := Int(-1).AsUint(); ok {
		t.Error("AsUint on a negative Integer must fail")
	}
	if f, ok := Float(1.5).AsFloat(); !ok || f != 1.5 {
		t.Error("AsFloat")
	}
	if b, ok := Bool(true).AsBool(); !ok || !b {
		t.Error("AsBool")
	}
	src := []byte{1, 2}
	o := Opaque(src)
	src[0] = 9
	if b, ok := o.AsOpaque(); !ok || b[0] != 1 {
		t.Error("Opaque must keep its own copy")
	}
	if b, ok := Opaque(nil).AsOpaque(); !ok || b == nil || len(b) != 0 {
		t.Error("Opaque(nil) is an empty, non-nil value")
	}
	when := time.Date(2013, 5, 2, 10, 40, 15, 0, time.UTC)
	if got, ok := Time(when).AsTime(); !ok || !got.Equal(when) {
		t.Errorf("AsTime = %v", got)
	}
	if i, ok := Time(when).AsInt(); !ok || i != 1367491215 {
		t.Errorf("Time as seconds = %d", i)
	}
	if l, ok := ObjLinkValue(ObjLink{11, 2}).AsObjLink(); !ok || l != (ObjLink{11, 2}) {
		t.Error("AsObjLink")
	}
	if s, ok := CoreLink("</1/0>").AsString(); !ok || s != "</1/0>" {
		t.Error("Corelnk AsString")
	}
}

func TestValueTextForm(t *testing.T) {
	cases := []struct {
		v    Value
		want string
	}{
		{String("Open Mobile Alliance"), "Open Mobile Alliance"},
		{Int(-42), "-42"},
		{Uint(math.MaxUint64), "18446744073709551615"},
		{Float(3.5), "3.5"},
		{Float(100), "100"},
		{Float(1e21), "1e+21"},
		{Float(-2.5e-7), "-2.5e-07"},
		{Bool(true), "1"},
		{Bool(false), "0"},
		{Opaque([]byte("hi!")), "aGkh"},
		{UnixTime(1367491215), "1367491215"},
		{ObjLinkValue(ObjLink{3, 0}), "3:0"},
		{CoreLink("</3/0>"), "</3/0>"},
		{Value{}, ""},
	}
	for _, c := range cases {
		if got := c.v.String(); got != c.want {
			t.Errorf("%v String() = %q, want %q", c.v.Kind, got, c.want)
		}
		if c.v.Kind == KindNone {
			continue
		}
		back, err := ParseValue(c.v.Kind, c.want)
		if err != nil {
			t.Errorf("ParseValue(%v, %q): %v", c.v.Kind, c.want, err)
			continue
		}
		if !back.Equal(c.v) {
			t.Errorf("ParseValue(%v, %q) = %v", c.v.Kind, c.want, back)
		}
	}
}

func TestParseValueRejects(t *testing.T) {
	cases := []struct {
		k   Kind
		in  string
		msg string
	}{
		{KindInteger, "0x10", "not a decimal integer"},
		{KindInteger, "1_000", "not a decimal integer"},
		{KindInteger, "", "not a decimal integer"},
		{KindInteger, "9223372036854775808", "out of the 64-bit integer range"},
		{KindUnsignedInteger, "-1", "not an unsigned decimal integer"},
		{KindUnsignedInteger, "18446744073709551616", "out of the 64-bit unsigned range"},
		{KindFloat, "NaN", "not a decimal number"},
		{KindFloat, "Inf", "not a decimal number"},
		{KindFloat, "1e999", "out of the float64 range"},
		{KindFloat, "1.", "not a decimal number"},
		{KindFloat, "1e", "not a decimal number"},
		{KindFloat, ".5", "not a decimal number"},
		{KindFloat, "0x1p3", "not a decimal number"},
		{KindBoolean, "true", "not a boolean"},
		{KindOpaque, "***", "not base64"},
		{KindObjLink, "3", "lacks the ':' separator"},
		{KindObjLink, "3:x", "instance"},
		{KindObjLink, "70000:0", "exceeds 65535"},
		{KindString, "\xff", "not valid UTF-8"},
		{KindNone, "", "executable"},
		{Kind(99), "1", "unknown kind"},
	}
	for _, c := range cases {
		_, err := ParseValue(c.k, c.in)
		assertErrContains(t, err, c.msg)
	}
	if v, err := ParseValue(KindFloat, "-1.25E+2"); err != nil || !v.Equal(Float(-125)) {
		t.Errorf("exponent float: %v %v", v, err)
	}
}

func TestValueEqual(t *testing.T) {
	if !Float(math.NaN()).Equal(Float(math.NaN())) {
		t.Error("NaN values compare equal")
	}
	if Int(1).Equal(Uint(1)) {
		t.Error("kinds must match")
	}
	if Opaque([]byte{1}).Equal(Opaque([]byte{2})) {
		t.Error("opaque bytes must match")
	}
	if !(Value{}).Equal(Value{}) {
		t.Error("none equals none")
	}
}

func TestKindString(t *testing.T) {
	if KindUnsignedInteger.String() != "Unsigned Integer" || KindObjLink.String() != "Objlnk" || Kind(42).String() != "Kind(42)" {
		t.Error("kind names")
	}
}
