package lwm2m

import (
	"errors"
	"fmt"
	"math"
)

// SenML (RFC 8428) as LwM2M 1.1 uses it (Core 1.1 §7.4): the base name
// and name concatenate to a path, v carries numbers (Time as Unix
// seconds), vs strings, vb booleans, vd opaque data and vlo an Objlnk as
// "obj:inst". A record with no value names a path only, as in
// Read-Composite requests. Times (bt, t) and units are accepted and
// ignored; base value and sums are refused since LwM2M never sends them.

// senmlRecord is the format-neutral form of one SenML record.
type senmlRecord struct {
	hasBN bool
	bn    string
	n     string
	val   senmlValue
}

type senmlValueType int

const (
	svNone senmlValueType = iota
	svNumber
	svString
	svBool
	svData
	svObjLink
)

type senmlValue struct {
	typ senmlValueType
	num senmlNumber
	s   string // vs, vlo
	b   bool
	d   []byte
}

// senmlNumber keeps a number as the wire typed it, so that an integer is
// not mistaken for a float on the way through.
type senmlNumber struct {
	typ numType
	i   int64
	u   uint64
	f   float64
}

type numType int

const (
	numInt numType = iota
	numUint
	numFloat
)

// setValue stores one value field, refusing a second.
func (r *senmlRecord) setValue(field string, v senmlValue) error {
	if r.val.typ != svNone {
		return fmt.Errorf("field %q: a record carries at most one value", field)
	}
	r.val = v
	return nil
}

// refuseField is the answer for SenML fields LwM2M does not use and whose
// meaning would change the value.
func refuseField(field string) error {
	return fmt.Errorf("field %q (base value or sum) is not used by LwM2M", field)
}

// senmlToRecords resolves names against the running base name and checks
// every path lies at or below base.
func senmlToRecords(base Path, srecs []senmlRecord, kind KindFunc) ([]Record, error) {
	out := make([]Record, 0, len(srecs))
	bn := ""
	for i, sr := range srecs {
		if sr.hasBN {
			bn = sr.bn
		}
		name := bn + sr.n
		p, err := ParsePath(name)
		if err != nil {
			return nil, fmt.Errorf("record %d: name %q is not an LwM2M path: %w", i, clip(name), err)
		}
		if !base.IsPrefixOf(p) {
			return nil, fmt.Errorf("record %d: %v is not below %v", i, p, base)
		}
		v, err := senmlValueOf(p, sr.val, kind)
		if err != nil {
			return nil, fmt.Errorf("record %d: %v: %w", i, p, err)
		}
		out = append(out, Record{Path: p, Value: v})
	}
	return out, nil
}

// senmlValueOf types a SenML value with the resource's kind, or infers the
// kind from the field when the resource is unknown.
func senmlValueOf(p Path, sv senmlValue, kind KindFunc) (Value, error) {
	if sv.typ == svNone {
		return Value{}, nil
	}
	if p.Len() < 3 {
		return Value{}, errors.New("only a resource or resource instance carries a value")
	}
	k, known := kind(p)
	if !known {
		return inferSenMLValue(sv)
	}
	switch {
	case k == KindNone:
		return Value{}, errors.New("an executable resource has no value")
	case sv.typ == svString && (k == KindString || k == KindCoreLink):
		return Value{Kind: k, s: sv.s}, nil
	case sv.typ == svBool && k == KindBoolean:
		return Bool(sv.b), nil
	case sv.typ == svData && k == KindOpaque:
		return Opaque(sv.d), nil
	case sv.typ == svObjLink && k == KindObjLink:
		return objLinkFromText(sv.s)
	case sv.typ == svNumber:
		return numberAs(sv.num, k)
	}
	return Value{}, fmt.Errorf("resource is %v but the record carries %s", k, senmlFieldName(sv.typ))
}

func inferSenMLValue(sv senmlValue) (Value, error) {
	switch sv.typ {
	case svString:
		return String(sv.s), nil
	case svBool:
		return Bool(sv.b), nil
	case svData:
		return Opaque(sv.d), nil
	case svObjLink:
		return objLinkFromText(sv.s)
	}
	switch n := sv.num; n.typ {
	case numUint:
		if n.u > math.MaxInt64 {
			return Uint(n.u), nil
		}
		return Int(int64(n.u)), nil
	case numFloat:
		return Float(n.f), nil
	default:
		return Int(n.i), nil
	}
}

func objLinkFromText(s string) (Value, error) {
	l, err := parseObjLink(s)
	if err != nil {
		return Value{}, err
	}
	return ObjLinkValue(l), nil
}

// numberAs converts a SenML number to a numeric kind when it fits exactly.
func numberAs(n senmlNumber, k Kind) (Value, error) {
	switch k {
	case KindInteger, KindTime:
		if i, ok := n.asInt(); ok {
			return Value{Kind: k, i: i}, nil
		}
	case KindUnsignedInteger:
		if u, ok := n.asUint(); ok {
			return Uint(u), nil
		}
	case KindFloat:
		return Float(n.asFloat()), nil
	default:
		return Value{}, fmt.Errorf("resource is %v but the record carries a number (v)", k)
	}
	return Value{}, fmt.Errorf("%s does not fit %v", n, k)
}

func (n senmlNumber) asInt() (int64, bool) {
	switch n.typ {
	case numInt:
		return n.i, true
	case numUint:
		return int64(n.u), n.u <= math.MaxInt64
	}
	if n.f == math.Trunc(n.f) && n.f >= -(1<<63) && n.f < 1<<63 {
		return int64(n.f), true
	}
	return 0, false
}

func (n senmlNumber) asUint() (uint64, bool) {
	switch n.typ {
	case numInt:
		return uint64(n.i), n.i >= 0
	case numUint:
		return n.u, true
	}
	if n.f == math.Trunc(n.f) && n.f >= 0 && n.f < 1<<64 {
		return uint64(n.f), true
	}
	return 0, false
}

func (n senmlNumber) asFloat() float64 {
	switch n.typ {
	case numInt:
		return float64(n.i)
	case numUint:
		return float64(n.u)
	}
	return n.f
}

func (n senmlNumber) String() string {
	switch n.typ {
	case numInt:
		return fmt.Sprint(n.i)
	case numUint:
		return fmt.Sprint(n.u)
	}
	return fmt.Sprint(n.f)
}

func senmlFieldName(t senmlValueType) string {
	switch t {
	case svNumber:
		return "a number (v)"
	case svString:
		return "a string (vs)"
	case svBool:
		return "a boolean (vb)"
	case svData:
		return "data (vd)"
	case svObjLink:
		return "an object link (vlo)"
	}
	return "no value"
}

// recordsToSenML names each record relative to base: for the root every
// name is the full path; otherwise the first record carries bn "base/"
// and the others a relative n. A record at base itself carries bn "base"
// and no n.
func recordsToSenML(base Path, recs []Record) ([]senmlRecord, error) {
	out := make([]senmlRecord, 0, len(recs))
	curBN := ""
	for _, r := range recs {
		if !base.IsPrefixOf(r.Path) {
			return nil, fmt.Errorf("record %v is not below %v", r.Path, base)
		}
		v, err := senmlValueFrom(r)
		if err != nil {
			return nil, err
		}
		sr := senmlRecord{val: v}
		wantBN, n := senmlName(base, r.Path)
		sr.n = n
		if wantBN != curBN {
			sr.hasBN, sr.bn, curBN = true, wantBN, wantBN
		}
		out = append(out, sr)
	}
	return out, nil
}

func senmlName(base, p Path) (bn, n string) {
	switch {
	case base.Len() == 0:
		return "", p.String()
	case p == base:
		return base.String(), ""
	}
	return base.String() + "/", p.String()[len(base.String())+1:]
}

func senmlValueFrom(r Record) (senmlValue, error) {
	v := r.Value
	if err := v.check(); err != nil {
		return senmlValue{}, fmt.Errorf("record %v: %w", r.Path, err)
	}
	if v.Kind != KindNone && r.Path.Len() < 3 {
		return senmlValue{}, fmt.Errorf("record %v: only a resource or resource instance carries a value", r.Path)
	}
	switch v.Kind {
	case KindString, KindCoreLink:
		return senmlValue{typ: svString, s: v.s}, nil
	case KindInteger, KindTime:
		return senmlValue{typ: svNumber, num: senmlNumber{typ: numInt, i: v.i}}, nil
	case KindUnsignedInteger:
		return senmlValue{typ: svNumber, num: senmlNumber{typ: numUint, u: v.u}}, nil
	case KindFloat:
		return senmlValue{typ: svNumber, num: senmlNumber{typ: numFloat, f: v.f}}, nil
	case KindBoolean:
		return senmlValue{typ: svBool, b: v.b}, nil
	case KindOpaque:
		return senmlValue{typ: svData, d: nonNil(v.o)}, nil
	case KindObjLink:
		return senmlValue{typ: svObjLink, s: formatObjLink(v.l)}, nil
	}
	return senmlValue{}, nil
}
