package dtlswire

import (
	"errors"
	"fmt"
)

// Handshake message types (RFC 5246 §7.4, RFC 6347 §4.3.2).
const (
	HandshakeHelloRequest       uint8 = 0
	HandshakeClientHello        uint8 = 1
	HandshakeServerHello        uint8 = 2
	HandshakeHelloVerifyRequest uint8 = 3
	HandshakeCertificate        uint8 = 11
	HandshakeServerKeyExchange  uint8 = 12
	HandshakeCertificateRequest uint8 = 13
	HandshakeServerHelloDone    uint8 = 14
	HandshakeCertificateVerify  uint8 = 15
	HandshakeClientKeyExchange  uint8 = 16
	HandshakeFinished           uint8 = 20
)

// HandshakeHeaderLen is the DTLS handshake header size.
const HandshakeHeaderLen = 12

// ErrFragmented reports a handshake message that does not fit in the record
// being decoded; a Reassembler puts such a message back together.
var ErrFragmented = errors.New("dtlswire: handshake message fragmented across records")

// HandshakeHeader is the DTLS handshake message header.
type HandshakeHeader struct {
	Type           uint8
	Length         uint32 // length of the whole message body
	MessageSeq     uint16
	FragmentOffset uint32
	FragmentLength uint32
}

// ParseHandshakeHeader decodes the handshake header at the start of a
// handshake record fragment and returns the fragment body that follows it.
func ParseHandshakeHeader(fragment []byte) (HandshakeHeader, []byte, error) {
	if len(fragment) < HandshakeHeaderLen {
		return HandshakeHeader{}, nil, fmt.Errorf("dtlswire: truncated handshake header: %d bytes, need %d", len(fragment), HandshakeHeaderLen)
	}
	h := HandshakeHeader{
		Type:           fragment[0],
		Length:         uint24(fragment[1:4]),
		MessageSeq:     uint16(fragment[4])<<8 | uint16(fragment[5]),
		FragmentOffset: uint24(fragment[6:9]),
		FragmentLength: uint24(fragment[9:12]),
	}
	rest := fragment[HandshakeHeaderLen:]
	if int(h.FragmentLength) > len(rest) {
		return h, nil, fmt.Errorf("dtlswire: handshake fragment length %d exceeds the %d bytes in the record", h.FragmentLength, len(rest))
	}
	if uint64(h.FragmentOffset)+uint64(h.FragmentLength) > uint64(h.Length) {
		return h, nil, fmt.Errorf("dtlswire: handshake fragment %d+%d beyond message length %d", h.FragmentOffset, h.FragmentLength, h.Length)
	}
	return h, rest[:h.FragmentLength], nil
}

// wholeMessage returns the body of a handshake message of type want held
// entirely in fragment.
func wholeMessage(fragment []byte, want uint8) (HandshakeHeader, []byte, error) {
	h, body, err := ParseHandshakeHeader(fragment)
	if err != nil {
		return h, nil, err
	}
	if h.Type != want {
		return h, nil, fmt.Errorf("dtlswire: handshake type %s, want %s", HandshakeTypeName(h.Type), HandshakeTypeName(want))
	}
	if h.FragmentOffset != 0 || h.FragmentLength != h.Length {
		return h, nil, fmt.Errorf("%w: %s bytes %d..%d of %d", ErrFragmented, HandshakeTypeName(h.Type), h.FragmentOffset, h.FragmentOffset+h.FragmentLength, h.Length)
	}
	return h, body, nil
}

// HandshakeTypeName names a handshake message type.
func HandshakeTypeName(t uint8) string {
	switch t {
	case HandshakeHelloRequest:
		return "hello_request"
	case HandshakeClientHello:
		return "client_hello"
	case HandshakeServerHello:
		return "server_hello"
	case HandshakeHelloVerifyRequest:
		return "hello_verify_request"
	case HandshakeCertificate:
		return "certificate"
	case HandshakeServerKeyExchange:
		return "server_key_exchange"
	case HandshakeCertificateRequest:
		return "certificate_request"
	case HandshakeServerHelloDone:
		return "server_hello_done"
	case HandshakeCertificateVerify:
		return "certificate_verify"
	case HandshakeClientKeyExchange:
		return "client_key_exchange"
	case HandshakeFinished:
		return "finished"
	}
	return fmt.Sprintf("unknown(%d)", t)
}

func uint24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }
