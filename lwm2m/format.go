package lwm2m

import (
	"errors"
	"fmt"

	"github.com/plgd-dev/go-coap/v3/message"
)

// ErrUnsupportedFormat is returned (wrapped) for a content format this
// package does not encode or decode as records.
var ErrUnsupportedFormat = errors.New("unsupported content format")

// KindFunc tells a decoder the data type of a resource (instance); ok=false
// means unknown. KindOf is the registry-backed one.
type KindFunc func(Path) (Kind, bool)

// Supported lists the record content formats Encode and Decode handle, in
// order of preference for a multi-resource payload. The CoRE Link Format
// carries links, not records: see ParseLinks and FormatLinks.
func Supported() []message.MediaType {
	return []message.MediaType{
		message.AppSenmlCbor,
		message.AppSenmlJSON,
		message.AppLwm2mTLV,
		message.AppCBOR,
		message.TextPlain,
		message.AppOctets,
	}
}

// Encode renders records below (or at) base in the given content format.
// Plain text, opaque and CBOR carry exactly one record whose path is base.
func Encode(format message.MediaType, base Path, recs []Record) ([]byte, error) {
	var (
		out []byte
		err error
	)
	switch format {
	case message.TextPlain:
		out, err = encodeText(base, recs)
	case message.AppOctets:
		out, err = encodeOpaque(base, recs)
	case message.AppCBOR:
		out, err = encodeCBORValue(base, recs)
	case message.AppLwm2mTLV:
		out, err = encodeTLV(base, recs)
	case message.AppSenmlJSON:
		out, err = encodeSenMLJSON(base, recs)
	case message.AppSenmlCbor:
		out, err = encodeSenMLCBOR(base, recs)
	default:
		return nil, fmt.Errorf("lwm2m: encode %v: %w", format, ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("lwm2m: encode %v at %v: %w", format, base, err)
	}
	return out, nil
}

// Decode parses a payload addressed to base. TLV, text and CBOR bytes are
// untyped, so kind is consulted for each resource (nil means all unknown);
// TLV values of unknown kind decode as Opaque, text as String. Records
// come back in payload order, all at or below base.
func Decode(format message.MediaType, base Path, data []byte, kind KindFunc) ([]Record, error) {
	if kind == nil {
		kind = func(Path) (Kind, bool) { return KindNone, false }
	}
	var (
		recs []Record
		err  error
	)
	switch format {
	case message.TextPlain:
		recs, err = decodeText(base, data, kind)
	case message.AppOctets:
		recs, err = decodeOpaque(base, data, kind)
	case message.AppCBOR:
		recs, err = decodeCBORValue(base, data, kind)
	case message.AppLwm2mTLV:
		recs, err = decodeTLV(base, data, kind)
	case message.AppSenmlJSON:
		recs, err = decodeSenMLJSON(base, data, kind)
	case message.AppSenmlCbor:
		recs, err = decodeSenMLCBOR(base, data, kind)
	default:
		return nil, fmt.Errorf("lwm2m: decode %v: %w", format, ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("lwm2m: decode %v at %v: %w", format, base, err)
	}
	return recs, nil
}

// singleRecord checks that recs is exactly one valued record at base, the
// shape the single-value formats carry.
func singleRecord(base Path, recs []Record) (Value, error) {
	if base.Len() < 3 {
		return Value{}, fmt.Errorf("a single-value format needs a resource path, not %v", base)
	}
	if len(recs) != 1 {
		return Value{}, fmt.Errorf("a single-value format carries one record, got %d", len(recs))
	}
	if recs[0].Path != base {
		return Value{}, fmt.Errorf("record %v is not at %v", recs[0].Path, base)
	}
	v := recs[0].Value
	if v.Kind == KindNone {
		return Value{}, fmt.Errorf("record %v has no value", base)
	}
	if err := v.check(); err != nil {
		return Value{}, fmt.Errorf("record %v: %w", base, err)
	}
	return v, nil
}
