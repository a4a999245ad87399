package model

import (
	"math"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// coerce converts a decoded value to the data type the resource is
// declared with. Formats that carry numbers untyped (SenML "v", CBOR) may
// decode an Integer resource as Float or Unsigned Integer; a whole number
// converts, anything else is a bad request.
func coerce(p lwm2m.Path, d lwm2m.ResourceDef, v lwm2m.Value) (lwm2m.Value, error) {
	if v.Kind == d.Kind {
		return v, nil
	}
	if out, ok := convert(d.Kind, v); ok {
		return out, nil
	}
	return lwm2m.Value{}, badRequest("resource %v is %v, got %v", p, d.Kind, v.Kind)
}

func convert(k lwm2m.Kind, v lwm2m.Value) (lwm2m.Value, bool) {
	switch k {
	case lwm2m.KindInteger:
		if i, ok := wholeInt(v); ok {
			return lwm2m.Int(i), true
		}
	case lwm2m.KindTime:
		if i, ok := wholeInt(v); ok {
			return lwm2m.UnixTime(i), true
		}
	case lwm2m.KindUnsignedInteger:
		if u, ok := v.AsUint(); ok {
			return lwm2m.Uint(u), true
		}
		if f, ok := v.AsFloat(); ok && f >= 0 && f < math.MaxUint64 && f == math.Trunc(f) {
			return lwm2m.Uint(uint64(f)), true
		}
	case lwm2m.KindFloat:
		if i, ok := v.AsInt(); ok && v.Kind != lwm2m.KindTime {
			return lwm2m.Float(float64(i)), true
		}
		if u, ok := v.AsUint(); ok {
			return lwm2m.Float(float64(u)), true
		}
	case lwm2m.KindString:
		if s, ok := v.AsString(); ok {
			return lwm2m.String(s), true
		}
	case lwm2m.KindCoreLink:
		if s, ok := v.AsString(); ok {
			return lwm2m.CoreLink(s), true
		}
	}
	return lwm2m.Value{}, false
}

// wholeInt reads an integer, or a float without fractional part that fits.
func wholeInt(v lwm2m.Value) (int64, bool) {
	if i, ok := v.AsInt(); ok {
		return i, true
	}
	if f, ok := v.AsFloat(); ok && f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f), true
	}
	return 0, false
}

// Numeric returns an Integer, Unsigned Integer, Float or Time value as a
// float64, the form threshold attributes (gt, lt, st) compare against.
func Numeric(v lwm2m.Value) (float64, bool) {
	switch v.Kind {
	case lwm2m.KindFloat:
		return v.AsFloat()
	case lwm2m.KindInteger, lwm2m.KindTime:
		i, _ := v.AsInt()
		return float64(i), true
	case lwm2m.KindUnsignedInteger:
		u, _ := v.AsUint()
		return float64(u), true
	}
	return 0, false
}
