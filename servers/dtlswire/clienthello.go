package dtlswire

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

const (
	randomLen       = 32
	maxSessionIDLen = 32
)

// ParseClientHello decodes a ClientHello from a handshake record fragment
// (starting with the 12-byte DTLS handshake header). The whole message must be
// in this fragment; see ErrFragmented. Byte slices in the result are copies.
func ParseClientHello(fragment []byte) (*events.Hello, error) {
	_, body, err := wholeMessage(fragment, HandshakeClientHello)
	if err != nil {
		return nil, err
	}
	h, err := parseClientHelloBody(body)
	if err != nil {
		return nil, fmt.Errorf("dtlswire: ClientHello: %w", err)
	}
	return h, nil
}

func parseClientHelloBody(body []byte) (*events.Hello, error) {
	r := reader{b: body}
	var (
		version                            uint16
		random, sid, cookie, suites, comps []byte
	)
	if !r.u16(&version) {
		return nil, fmt.Errorf("truncated client_version")
	}
	if !r.bytes(randomLen, &random) {
		return nil, fmt.Errorf("truncated random")
	}
	if !r.vec8(&sid) {
		return nil, fmt.Errorf("truncated session_id")
	}
	if len(sid) > maxSessionIDLen {
		return nil, fmt.Errorf("session_id of %d bytes, at most %d allowed", len(sid), maxSessionIDLen)
	}
	if !r.vec8(&cookie) {
		return nil, fmt.Errorf("truncated cookie")
	}
	if !r.vec16(&suites) {
		return nil, fmt.Errorf("truncated cipher_suites")
	}
	ids, ok := uint16List(suites)
	if !ok || len(ids) == 0 {
		return nil, fmt.Errorf("cipher_suites vector of %d bytes is not a non-empty list of 16-bit values", len(suites))
	}
	if !r.vec8(&comps) || len(comps) == 0 {
		return nil, fmt.Errorf("missing or truncated compression_methods")
	}
	exts, err := parseExtensions(&r)
	if err != nil {
		return nil, err
	}
	h := &events.Hello{
		Version:      VersionName(version),
		CipherSuites: ids,
		Extensions:   make([]uint16, 0, len(exts)),
		CookieLen:    len(cookie),
	}
	if len(sid) > 0 {
		h.SessionID = append([]byte(nil), sid...)
	}
	for _, e := range exts {
		h.Extensions = append(h.Extensions, e.typ)
		if err := applyClientExtension(h, e); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// applyClientExtension records what the harness reports about one extension.
func applyClientExtension(h *events.Hello, e extension) error {
	switch e.typ {
	case ExtServerName:
		host, err := parseServerName(e.data)
		if err != nil {
			return err
		}
		h.SNI, h.HasSNI = host, true
	case ExtSupportedGroups:
		r := reader{b: e.data}
		var list []byte
		groups, ok := []uint16(nil), false
		if r.vec16(&list) && r.empty() {
			groups, ok = uint16List(list)
		}
		if !ok {
			return fmt.Errorf("malformed supported_groups extension")
		}
		h.SupportedGroups = groups
	case ExtConnectionID, ExtConnectionIDDraft:
		if _, err := parseConnectionID(e.data); err != nil {
			return err
		}
		h.ConnectionID = true
	}
	return nil
}
