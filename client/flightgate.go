package client

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
)

// flightGate works around pion/dtls's client, which with a SessionStore
// cannot take a server flight spread over several datagrams. Its flight-3
// parser re-reads the ServerHello each time a datagram of the flight arrives;
// the first pass stores the new session_id, so the second pass finds it equal
// to "the offered one", takes the flight for an abbreviated handshake and
// waits for a Finished that never comes. A full handshake with a certificate
// chain that does not fit in one datagram beside the ServerHello stalls.
//
// The gate holds back a datagram carrying a ServerHello that starts a new
// session until the datagram with ServerHelloDone has been delivered. pion
// queues the records that follow the held ServerHello (it assembles handshake
// messages in sequence order), so when the held datagram is read last the
// parser sees the whole flight in one pass. Resumed flights and single-datagram
// flights pass untouched.
type flightGate struct {
	net.PacketConn
	offered func() []byte // session_id the ClientHello offered; empty if none

	mu    sync.Mutex
	held  []heldDatagram // waiting for the rest of the flight
	ready []heldDatagram // released: read before the socket
}

type heldDatagram struct {
	data []byte
	from net.Addr
}

// maxHeldDatagrams bounds what a server that never sends ServerHelloDone (or
// keeps retransmitting) can make the gate keep; beyond it the gate gives up
// and lets pion see everything.
const maxHeldDatagrams = 8

func newFlightGate(c net.PacketConn, offered func() []byte) *flightGate {
	return &flightGate{PacketConn: c, offered: offered}
}

// ReadFrom implements net.PacketConn.
func (g *flightGate) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		if d, ok := g.nextReady(); ok {
			return copy(p, d.data), d.from, nil
		}
		n, from, err := g.PacketConn.ReadFrom(p)
		if err != nil {
			return n, from, err
		}
		if g.admit(p[:n], from) {
			return n, from, nil
		}
	}
}

func (g *flightGate) nextReady() (heldDatagram, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.ready) == 0 {
		return heldDatagram{}, false
	}
	d := g.ready[0]
	g.ready = g.ready[1:]
	return d, true
}

// admit decides about one datagram: true delivers it now, false holds it.
func (g *flightGate) admit(d []byte, from net.Addr) bool {
	s := scanFlight(d)
	g.mu.Lock()
	defer g.mu.Unlock()
	if s.serverHello != nil && !s.done && !s.other && !bytes.Equal(s.serverHello, g.offered()) {
		if len(g.held) < maxHeldDatagrams {
			g.held = append(g.held, heldDatagram{data: append([]byte(nil), d...), from: from})
			return false
		}
	}
	if len(g.held) > 0 && (s.done || s.other || len(g.held) >= maxHeldDatagrams) {
		g.ready = append(g.ready, g.held...)
		g.held = nil
	}
	return true
}

// flightScan is what the gate needs to know about a datagram.
type flightScan struct {
	// serverHello is the session_id of a plaintext ServerHello that starts a
	// new session (nil when there is none or it is resumed by an empty ID).
	serverHello []byte
	done        bool // a plaintext ServerHelloDone ends the flight
	other       bool // anything but plaintext flight-4 handshake records
}

// DTLS 1.2 record and handshake layout (RFC 6347 §4.1, §4.2.2).
const (
	recordHeaderLen    = 13
	handshakeHeaderLen = 12

	contentHandshake = 22

	hsServerHello        = 2
	hsCertificate        = 11
	hsServerKeyExchange  = 12
	hsCertificateRequest = 13
	hsServerHelloDone    = 14
)

func scanFlight(d []byte) flightScan {
	var s flightScan
	for len(d) > 0 {
		if len(d) < recordHeaderLen {
			s.other = true
			return s
		}
		typ, epoch := d[0], binary.BigEndian.Uint16(d[3:5])
		n := int(binary.BigEndian.Uint16(d[11:13]))
		if len(d) < recordHeaderLen+n || typ != contentHandshake || epoch != 0 || n == 0 {
			s.other = true // includes tls12_cid records, whose header is longer
			return s
		}
		frag := d[recordHeaderLen : recordHeaderLen+n]
		switch frag[0] {
		case hsServerHello:
			if id, ok := serverHelloSessionID(frag); ok && len(id) > 0 {
				s.serverHello = id
			}
		case hsServerHelloDone:
			s.done = true
		case hsCertificate, hsServerKeyExchange, hsCertificateRequest:
		default:
			s.other = true
		}
		d = d[recordHeaderLen+n:]
	}
	return s
}

// serverHelloSessionID reads the session_id of an unfragmented ServerHello
// handshake message (or of its first fragment, which holds it).
func serverHelloSessionID(frag []byte) ([]byte, bool) {
	if len(frag) < handshakeHeaderLen {
		return nil, false
	}
	if frag[6] != 0 || frag[7] != 0 || frag[8] != 0 { // fragment_offset
		return nil, false
	}
	body := frag[handshakeHeaderLen:]
	const idAt = 2 + 32 // server_version, random
	if len(body) < idAt+1 {
		return nil, false
	}
	n := int(body[idAt])
	if len(body) < idAt+1+n {
		return nil, false
	}
	return body[idAt+1 : idAt+1+n], true
}
