package dtlswire

import "fmt"

// ServerHello is the part of a ServerHello the harness needs: whether a
// session was resumed (the session_id echoes the client's) and which
// connection ID the server asked the client to send.
type ServerHello struct {
	Version         uint16
	SessionID       []byte
	CipherSuite     uint16
	Compression     uint8
	Extensions      []uint16
	HasConnectionID bool
	ConnectionID    []byte // the CID the client must put in its records; may be empty
}

// ParseServerHello decodes a ServerHello from a handshake record fragment.
// Byte slices in the result are copies.
func ParseServerHello(fragment []byte) (*ServerHello, error) {
	_, body, err := wholeMessage(fragment, HandshakeServerHello)
	if err != nil {
		return nil, err
	}
	r := reader{b: body}
	var (
		sh          ServerHello
		random, sid []byte
	)
	if !r.u16(&sh.Version) || !r.bytes(randomLen, &random) || !r.vec8(&sid) ||
		!r.u16(&sh.CipherSuite) || !r.u8(&sh.Compression) {
		return nil, fmt.Errorf("dtlswire: ServerHello: truncated fixed part")
	}
	if len(sid) > maxSessionIDLen {
		return nil, fmt.Errorf("dtlswire: ServerHello: session_id of %d bytes, at most %d allowed", len(sid), maxSessionIDLen)
	}
	if len(sid) > 0 {
		sh.SessionID = append([]byte(nil), sid...)
	}
	exts, err := parseExtensions(&r)
	if err != nil {
		return nil, fmt.Errorf("dtlswire: ServerHello: %w", err)
	}
	for _, e := range exts {
		sh.Extensions = append(sh.Extensions, e.typ)
		if e.typ == ExtConnectionID || e.typ == ExtConnectionIDDraft {
			cid, err := parseConnectionID(e.data)
			if err != nil {
				return nil, fmt.Errorf("dtlswire: ServerHello: %w", err)
			}
			sh.HasConnectionID = true
			sh.ConnectionID = append([]byte{}, cid...)
		}
	}
	return &sh, nil
}
