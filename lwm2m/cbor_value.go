package lwm2m

import (
	"fmt"
	"math"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The CBOR content format (application/cbor, 60; Core 1.1 §7.4) carries
// one resource value as a single CBOR data item.

func encodeCBORValue(base Path, recs []Record) ([]byte, error) {
	v, err := singleRecord(base, recs)
	if err != nil {
		return nil, err
	}
	return cborMarshal(cborSingleItem(v))
}

// decodeCBORValue reads one data item; without a known kind the CBOR type
// decides (an unsigned integer that fits int64 is an Integer).
func decodeCBORValue(base Path, data []byte, kind KindFunc) ([]Record, error) {
	if base.Len() < 3 {
		return nil, fmt.Errorf("CBOR needs a resource path, not %v", base)
	}
	var item any
	if err := cborUnmarshal(data, &item); err != nil {
		return nil, err
	}
	k, known := kind(base)
	v, err := cborItemToValue(item, k, known)
	if err != nil {
		return nil, fmt.Errorf("resource %v: %w", base, err)
	}
	return []Record{{Path: base, Value: v}}, nil
}

// cborSingleItem is the Go value fxamacker/cbor encodes for v. Time is a
// tag 1 epoch date; Objlnk is "obj:inst" text as in SenML.
func cborSingleItem(v Value) any {
	switch v.Kind {
	case KindString, KindCoreLink:
		return v.s
	case KindInteger:
		return v.i
	case KindUnsignedInteger:
		return v.u
	case KindFloat:
		return v.f
	case KindBoolean:
		return v.b
	case KindOpaque:
		return nonNil(v.o)
	case KindTime:
		return cbor.Tag{Number: 1, Content: v.i}
	case KindObjLink:
		return formatObjLink(v.l)
	}
	return nil
}

// cborItemToValue converts a decoded CBOR data item to a value of kind k;
// known=false infers the kind from the CBOR type.
func cborItemToValue(item any, k Kind, known bool) (Value, error) {
	if !known {
		return inferCBORValue(item)
	}
	switch k {
	case KindString, KindCoreLink:
		if s, ok := item.(string); ok {
			return Value{Kind: k, s: s}, nil
		}
	case KindInteger:
		if i, ok := cborInt(item); ok {
			return Int(i), nil
		}
	case KindUnsignedInteger:
		if u, ok := item.(uint64); ok {
			return Uint(u), nil
		}
	case KindFloat:
		switch x := item.(type) {
		case float64:
			return Float(x), nil
		case uint64:
			return Float(float64(x)), nil
		case int64:
			return Float(float64(x)), nil
		}
	case KindBoolean:
		if b, ok := item.(bool); ok {
			return Bool(b), nil
		}
	case KindOpaque:
		if b, ok := item.([]byte); ok {
			return Opaque(b), nil
		}
	case KindTime:
		if t, ok := item.(time.Time); ok {
			return cborTime(t)
		}
		if i, ok := cborInt(item); ok {
			return UnixTime(i), nil
		}
	case KindObjLink:
		if s, ok := item.(string); ok {
			l, err := parseObjLink(s)
			if err != nil {
				return Value{}, err
			}
			return ObjLinkValue(l), nil
		}
	case KindNone:
		return Value{}, fmt.Errorf("an executable resource has no value")
	default:
		return Value{}, fmt.Errorf("unknown kind %v", k)
	}
	return Value{}, fmt.Errorf("CBOR %s cannot be %v", cborTypeName(item), k)
}

func inferCBORValue(item any) (Value, error) {
	switch x := item.(type) {
	case string:
		return String(x), nil
	case int64:
		return Int(x), nil
	case uint64:
		if x <= math.MaxInt64 {
			return Int(int64(x)), nil
		}
		return Uint(x), nil
	case float64:
		return Float(x), nil
	case bool:
		return Bool(x), nil
	case []byte:
		return Opaque(x), nil
	case time.Time:
		return cborTime(x)
	}
	return Value{}, fmt.Errorf("CBOR %s is not an LwM2M value", cborTypeName(item))
}

func cborInt(item any) (int64, bool) {
	switch x := item.(type) {
	case int64:
		return x, true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// cborTime accepts a tagged date that falls on a whole second.
func cborTime(t time.Time) (Value, error) {
	if t.Nanosecond() != 0 {
		return Value{}, fmt.Errorf("time %v is not a whole second", t)
	}
	return Time(t), nil
}
