package lwm2m

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// tlvValueBytes renders a value as TLV bytes: integers in the fewest of
// 1, 2, 4 or 8 bytes, floats in 8, booleans in 1, Objlnk in 4.
func tlvValueBytes(v Value) ([]byte, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	switch v.Kind {
	case KindString, KindCoreLink:
		return []byte(v.s), nil
	case KindInteger, KindTime:
		return tlvInt(v.i), nil
	case KindUnsignedInteger:
		return tlvUint(v.u), nil
	case KindFloat:
		return binary.BigEndian.AppendUint64(nil, math.Float64bits(v.f)), nil
	case KindBoolean:
		if v.b {
			return []byte{1}, nil
		}
		return []byte{0}, nil
	case KindOpaque:
		return nonNil(v.o), nil
	case KindObjLink:
		return []byte{byte(v.l.Obj >> 8), byte(v.l.Obj), byte(v.l.Inst >> 8), byte(v.l.Inst)}, nil
	}
	return nil, errors.New("a record without value has no TLV form")
}

func tlvInt(i int64) []byte {
	switch {
	case i >= math.MinInt8 && i <= math.MaxInt8:
		return []byte{byte(i)}
	case i >= math.MinInt16 && i <= math.MaxInt16:
		return binary.BigEndian.AppendUint16(nil, uint16(i))
	case i >= math.MinInt32 && i <= math.MaxInt32:
		return binary.BigEndian.AppendUint32(nil, uint32(i))
	}
	return binary.BigEndian.AppendUint64(nil, uint64(i))
}

func tlvUint(u uint64) []byte {
	switch {
	case u <= math.MaxUint8:
		return []byte{byte(u)}
	case u <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(nil, uint16(u))
	case u <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(nil, uint32(u))
	}
	return binary.BigEndian.AppendUint64(nil, u)
}

// tlvValue reads TLV bytes as kind k; without a known kind they stay Opaque.
func tlvValue(b []byte, k Kind, known bool) (Value, error) {
	if !known {
		return Opaque(b), nil
	}
	switch k {
	case KindString, KindCoreLink:
		if !utf8.Valid(b) {
			return Value{}, fmt.Errorf("%v is not valid UTF-8", k)
		}
		return Value{Kind: k, s: string(b)}, nil
	case KindInteger, KindTime:
		i, err := tlvReadInt(b)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: k, i: i}, nil
	case KindUnsignedInteger:
		if !intWidth(len(b)) {
			return Value{}, fmt.Errorf("unsigned integer of %d bytes (want 1, 2, 4 or 8)", len(b))
		}
		var u uint64
		for _, c := range b {
			u = u<<8 | uint64(c)
		}
		return Uint(u), nil
	case KindFloat:
		switch len(b) {
		case 4:
			return Float(float64(math.Float32frombits(binary.BigEndian.Uint32(b)))), nil
		case 8:
			return Float(math.Float64frombits(binary.BigEndian.Uint64(b))), nil
		}
		return Value{}, fmt.Errorf("float of %d bytes (want 4 or 8)", len(b))
	case KindBoolean:
		if len(b) != 1 || b[0] > 1 {
			return Value{}, fmt.Errorf("boolean must be one byte 0 or 1, got % x", clipBytes(b))
		}
		return Bool(b[0] == 1), nil
	case KindOpaque:
		return Opaque(b), nil
	case KindObjLink:
		if len(b) != 4 {
			return Value{}, fmt.Errorf("objlnk of %d bytes (want 4)", len(b))
		}
		return ObjLinkValue(ObjLink{Obj: binary.BigEndian.Uint16(b), Inst: binary.BigEndian.Uint16(b[2:])}), nil
	case KindNone:
		return Value{}, errors.New("an executable resource has no value")
	}
	return Value{}, fmt.Errorf("unknown kind %v", k)
}

func intWidth(n int) bool { return n == 1 || n == 2 || n == 4 || n == 8 }

// tlvReadInt reads a big-endian two's complement integer.
func tlvReadInt(b []byte) (int64, error) {
	if !intWidth(len(b)) {
		return 0, fmt.Errorf("integer of %d bytes (want 1, 2, 4 or 8)", len(b))
	}
	i := int64(int8(b[0]))
	for _, c := range b[1:] {
		i = i<<8 | int64(c)
	}
	return i, nil
}

func clipBytes(b []byte) []byte {
	const maxShown = 16
	if len(b) > maxShown {
		return b[:maxShown]
	}
	return b
}
