package impair

import (
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// cursor walks a byte slice; every read reports false instead of running
// past the end.
type cursor []byte

func (c *cursor) skip(n int) bool {
	if n < 0 || len(*c) < n {
		return false
	}
	*c = (*c)[n:]
	return true
}

func (c *cursor) vec(prefix int) ([]byte, bool) {
	if len(*c) < prefix {
		return nil, false
	}
	n := 0
	for _, b := range (*c)[:prefix] {
		n = n<<8 | int(b)
	}
	*c = (*c)[prefix:]
	if len(*c) < n {
		return nil, false
	}
	v := (*c)[:n]
	*c = (*c)[n:]
	return v, true
}

// clientHelloBody returns the body of an unfragmented ClientHello.
func clientHelloBody(fragment []byte) ([]byte, bool) {
	hh, body, err := dtlswire.ParseHandshakeHeader(fragment)
	if err != nil || hh.Type != dtlswire.HandshakeClientHello || hh.FragmentOffset != 0 || hh.FragmentLength != hh.Length {
		return nil, false
	}
	return body, true
}

// clientRandom returns a copy of a ClientHello's random, or nil. The first
// fragment of a fragmented ClientHello holds it too.
func clientRandom(fragment []byte) []byte {
	hh, body, err := dtlswire.ParseHandshakeHeader(fragment)
	if err != nil || hh.Type != dtlswire.HandshakeClientHello || hh.FragmentOffset != 0 || len(body) < 2+32 {
		return nil
	}
	return append([]byte(nil), body[2:34]...)
}

// offeredCID returns the connection ID a ClientHello asks the server to put
// in the records it sends (RFC 9146 §3), nil without a connection_id
// extension; ok is false when the ClientHello cannot be read.
func offeredCID(fragment []byte) (cid []byte, ok bool) {
	body, ok := clientHelloBody(fragment)
	if !ok {
		return nil, false
	}
	c := cursor(body)
	if !c.skip(2 + 32) { // client_version, random
		return nil, false
	}
	for _, prefix := range []int{1, 1, 2, 1} { // session_id, cookie, cipher_suites, compression_methods
		if _, ok := c.vec(prefix); !ok {
			return nil, false
		}
	}
	if len(c) == 0 {
		return nil, true // no extensions block
	}
	block, ok := c.vec(2)
	if !ok {
		return nil, false
	}
	exts := cursor(block)
	for len(exts) >= 4 {
		typ := uint16(exts[0])<<8 | uint16(exts[1])
		exts = exts[2:]
		data, ok := exts.vec(2)
		if !ok {
			return nil, false
		}
		if typ == dtlswire.ExtConnectionID || typ == dtlswire.ExtConnectionIDDraft {
			d := cursor(data)
			cid, ok := d.vec(1)
			return cid, ok && len(d) == 0
		}
	}
	return nil, len(exts) == 0
}

// cidLengths tracks the connection ID length each direction's tls12_cid
// records carry: SUT records carry the CID the ServerHello chose, server
// records the CID the ClientHello offered.
type cidLengths struct {
	fixedUp int // Config.CIDLen; 0 = learn
	n       [2]int
	hellos  dtlswire.Reassembler // the SUT's ClientHellos, when fragmented
}

func (c *cidLengths) of(d Dir) int {
	if d == Up && c.fixedUp > 0 {
		return c.fixedUp
	}
	return c.n[d]
}

// learn updates the lengths from the hellos in a datagram from direction d.
func (c *cidLengths) learn(d Dir, recs []dtlswire.Record) {
	for _, r := range recs {
		if r.ContentType != dtlswire.ContentHandshake || r.Epoch != 0 || len(r.Fragment) == 0 {
			continue
		}
		switch {
		case d == Up && r.Fragment[0] == dtlswire.HandshakeClientHello:
			// One SUT per proxy: message_seq alone tells its hellos apart.
			if msg, _ := c.hellos.Add("sut", r.Fragment); msg != nil {
				if cid, ok := offeredCID(msg); ok {
					c.n[Down] = len(cid)
				}
			}
		case d == Down && r.Fragment[0] == dtlswire.HandshakeServerHello:
			if sh, err := dtlswire.ParseServerHello(r.Fragment); err == nil {
				c.n[Up] = len(sh.ConnectionID)
			}
		}
	}
}
