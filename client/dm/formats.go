package dm

import (
	"errors"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// formats lists the content formats the client reads and writes records
// in: LwM2M 1.0 defines plain text, opaque and TLV (its JSON format 11543
// is not implemented); 1.1 adds CBOR (single values), SenML JSON and
// SenML CBOR.
func (h *Handler) formats() []message.MediaType {
	base := []message.MediaType{message.TextPlain, message.AppOctets, message.AppLwm2mTLV}
	if h.m.Version() == "1.0" {
		return base
	}
	return append(base, message.AppCBOR, message.AppSenmlJSON, message.AppSenmlCbor)
}

func (h *Handler) supports(f message.MediaType) bool {
	for _, s := range h.formats() {
		if s == f {
			return true
		}
	}
	return false
}

// singleValue reports whether a format carries exactly one value.
func singleValue(f message.MediaType) bool {
	return f == message.TextPlain || f == message.AppOctets || f == message.AppCBOR
}

// responseFormat picks the format of a Read or notification of p. An
// Accept option is honoured if the client supports it for the target,
// else 4.06. Without Accept, a single value goes as plain text (opaque
// resources as application/octet-stream), several values as TLV for
// LwM2M 1.0 and SenML CBOR for 1.1, the compact format every 1.1 server
// must read (Leshan and Anjay make the same choice).
func (h *Handler) responseFormat(r *mux.Message, p lwm2m.Path) (message.MediaType, error) {
	single := p.Len() == 4 || (p.Len() == 3 && !h.m.IsMultiple(p))
	kind, _ := h.m.KindOf(p)
	accept, err := r.Accept()
	if err != nil {
		switch {
		case single && kind == lwm2m.KindOpaque:
			return message.AppOctets, nil
		case single:
			return message.TextPlain, nil
		case h.m.Version() == "1.0":
			return message.AppLwm2mTLV, nil
		}
		return message.AppSenmlCbor, nil
	}
	if !h.supports(accept) {
		return 0, status(codes.NotAcceptable, "content format %v is not supported", accept)
	}
	if singleValue(accept) && !single {
		return 0, status(codes.NotAcceptable, "content format %v carries a single value, %v holds several", accept, p)
	}
	if accept == message.AppOctets && kind != lwm2m.KindOpaque {
		return 0, status(codes.NotAcceptable, "resource %v is %v, not Opaque", p, kind)
	}
	return accept, nil
}

// encode renders records for a response.
func encode(format message.MediaType, p lwm2m.Path, recs []lwm2m.Record) ([]byte, error) {
	b, err := lwm2m.Encode(format, p, recs)
	if err != nil {
		return nil, status(codes.InternalServerError, "encode %v: %v", p, err)
	}
	return b, nil
}

// decodePayload reads the records of a Write, Create or Bootstrap-Write.
// A missing Content-Format is 4.00, an unsupported one 4.15, a payload
// that does not decode 4.00.
func (h *Handler) decodePayload(r *mux.Message, base lwm2m.Path) ([]lwm2m.Record, error) {
	format, err := r.ContentFormat()
	if err != nil {
		return nil, status(codes.BadRequest, "request has no Content-Format")
	}
	if !h.supports(format) {
		return nil, status(codes.UnsupportedMediaType, "content format %v is not supported", format)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	recs, err := lwm2m.Decode(format, base, body, h.m.KindOf)
	if err != nil {
		if errors.Is(err, lwm2m.ErrUnsupportedFormat) {
			return nil, status(codes.UnsupportedMediaType, "%v", err)
		}
		return nil, status(codes.BadRequest, "%v", err)
	}
	return recs, nil
}

// readBody returns the request payload; no payload is an empty one.
func readBody(r *mux.Message) ([]byte, error) {
	if r.Body() == nil {
		return nil, nil
	}
	b, err := r.ReadBody()
	if err != nil {
		return nil, status(codes.BadRequest, "read payload: %v", err)
	}
	return b, nil
}
