package lwm2m

import (
	"bytes"
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// ObjLink is an Objlnk value: a reference to an object instance.
type ObjLink struct{ Obj, Inst uint16 }

// Value is one typed resource value. Build it with the constructors; read
// it with the As accessors, which report ok=false when the kind differs.
// Integer accessors convert between Integer, Unsigned Integer and Time when
// the number fits, so code does not depend on which integer type a
// resource is declared with.
type Value struct {
	Kind Kind
	s    string  // String, CoreLink
	i    int64   // Integer, Time (seconds since the Unix epoch)
	u    uint64  // UnsignedInteger
	f    float64 // Float
	b    bool    // Boolean
	o    []byte  // Opaque
	l    ObjLink // ObjLink
}

// String makes a String value.
func String(s string) Value { return Value{Kind: KindString, s: s} }

// Int makes an Integer value.
func Int(i int64) Value { return Value{Kind: KindInteger, i: i} }

// Uint makes an Unsigned Integer value.
func Uint(u uint64) Value { return Value{Kind: KindUnsignedInteger, u: u} }

// Float makes a Float value.
func Float(f float64) Value { return Value{Kind: KindFloat, f: f} }

// Bool makes a Boolean value.
func Bool(b bool) Value { return Value{Kind: KindBoolean, b: b} }

// Opaque makes an Opaque value; it keeps its own copy of b.
func Opaque(b []byte) Value { return Value{Kind: KindOpaque, o: bytes.Clone(nonNil(b))} }

// Time makes a Time value; LwM2M time has a resolution of one second.
func Time(t time.Time) Value { return Value{Kind: KindTime, i: t.Unix()} }

// UnixTime makes a Time value from seconds since the Unix epoch.
func UnixTime(sec int64) Value { return Value{Kind: KindTime, i: sec} }

// ObjLinkValue makes an Objlnk value. (The name Link is the CoRE link type.)
func ObjLinkValue(l ObjLink) Value { return Value{Kind: KindObjLink, l: l} }

// CoreLink makes a Corelnk value: CoRE Link Format text.
func CoreLink(s string) Value { return Value{Kind: KindCoreLink, s: s} }

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// AsString returns the text of a String or Corelnk value.
func (v Value) AsString() (string, bool) {
	if v.Kind == KindString || v.Kind == KindCoreLink {
		return v.s, true
	}
	return "", false
}

// AsInt returns an Integer or Time value, or an Unsigned Integer that fits.
func (v Value) AsInt() (int64, bool) {
	switch v.Kind {
	case KindInteger, KindTime:
		return v.i, true
	case KindUnsignedInteger:
		if v.u <= math.MaxInt64 {
			return int64(v.u), true
		}
	}
	return 0, false
}

// AsUint returns an Unsigned Integer value, or a non-negative Integer.
func (v Value) AsUint() (uint64, bool) {
	switch v.Kind {
	case KindUnsignedInteger:
		return v.u, true
	case KindInteger:
		if v.i >= 0 {
			return uint64(v.i), true
		}
	}
	return 0, false
}

// AsFloat returns a Float value.
func (v Value) AsFloat() (float64, bool) {
	if v.Kind == KindFloat {
		return v.f, true
	}
	return 0, false
}

// AsBool returns a Boolean value.
func (v Value) AsBool() (bool, bool) {
	if v.Kind == KindBoolean {
		return v.b, true
	}
	return false, false
}

// AsOpaque returns the bytes of an Opaque value (shared, do not modify).
func (v Value) AsOpaque() ([]byte, bool) {
	if v.Kind == KindOpaque {
		return nonNil(v.o), true
	}
	return nil, false
}

// AsTime returns a Time value in UTC.
func (v Value) AsTime() (time.Time, bool) {
	if v.Kind == KindTime {
		return time.Unix(v.i, 0).UTC(), true
	}
	return time.Time{}, false
}

// AsObjLink returns an Objlnk value.
func (v Value) AsObjLink() (ObjLink, bool) {
	if v.Kind == KindObjLink {
		return v.l, true
	}
	return ObjLink{}, false
}

// Equal reports whether v and w have the same kind and value. Two NaN
// floats are equal so that decoded NaNs compare as round-tripped.
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case KindString, KindCoreLink:
		return v.s == w.s
	case KindInteger, KindTime:
		return v.i == w.i
	case KindUnsignedInteger:
		return v.u == w.u
	case KindFloat:
		return v.f == w.f || (math.IsNaN(v.f) && math.IsNaN(w.f))
	case KindBoolean:
		return v.b == w.b
	case KindOpaque:
		return bytes.Equal(v.o, w.o)
	case KindObjLink:
		return v.l == w.l
	}
	return true
}

// check rejects values no content format can carry: undeclared kinds and
// strings that are not UTF-8.
func (v Value) check() error {
	if !v.Kind.valid() {
		return fmt.Errorf("invalid value kind %d", int(v.Kind))
	}
	if (v.Kind == KindString || v.Kind == KindCoreLink) && !utf8.ValidString(v.s) {
		return fmt.Errorf("%v value is not valid UTF-8", v.Kind)
	}
	return nil
}
