package lwm2m

import (
	"fmt"
	"math"
)

// Plain text and opaque (Core 1.1 §7.4) carry one resource value with no
// type information: the resource's kind decides the parsing.

func encodeText(base Path, recs []Record) ([]byte, error) {
	v, err := singleRecord(base, recs)
	if err != nil {
		return nil, err
	}
	if v.Kind == KindFloat && (math.IsNaN(v.f) || math.IsInf(v.f, 0)) {
		return nil, fmt.Errorf("plain text cannot carry %v", v.f)
	}
	return []byte(v.String()), nil
}

// decodeText parses the payload with the resource's kind; a resource of
// unknown kind is read as a String.
func decodeText(base Path, data []byte, kind KindFunc) ([]Record, error) {
	if base.Len() < 3 {
		return nil, fmt.Errorf("plain text needs a resource path, not %v", base)
	}
	k, ok := kind(base)
	if !ok {
		k = KindString
	}
	v, err := ParseValue(k, string(data))
	if err != nil {
		return nil, fmt.Errorf("resource %v (%v): %w", base, k, err)
	}
	return []Record{{Path: base, Value: v}}, nil
}

func encodeOpaque(base Path, recs []Record) ([]byte, error) {
	v, err := singleRecord(base, recs)
	if err != nil {
		return nil, err
	}
	b, ok := v.AsOpaque()
	if !ok {
		return nil, fmt.Errorf("opaque format carries an Opaque value, not %v", v.Kind)
	}
	return b, nil
}

// decodeOpaque takes the payload as is; it refuses resources known to hold
// another type.
func decodeOpaque(base Path, data []byte, kind KindFunc) ([]Record, error) {
	if base.Len() < 3 {
		return nil, fmt.Errorf("opaque format needs a resource path, not %v", base)
	}
	if k, ok := kind(base); ok && k != KindOpaque {
		return nil, fmt.Errorf("resource %v is %v, not Opaque", base, k)
	}
	return []Record{{Path: base, Value: Opaque(data)}}, nil
}
