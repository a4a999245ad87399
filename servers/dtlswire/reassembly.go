package dtlswire

import (
	"errors"
	"fmt"
	"sync"
)

// Default bounds of a Reassembler: a ClientHello is a few hundred bytes, so
// these leave room for many clients while capping what a peer spraying
// fragments can make the harness hold.
const (
	DefaultReassemblyBytes    = 64 << 10
	DefaultReassemblyMessages = 16
)

// ErrMessageTooLarge reports a fragmented handshake message longer than the
// Reassembler may hold.
var ErrMessageTooLarge = errors.New("dtlswire: fragmented handshake message exceeds the reassembly limit")

// Reassembler puts handshake messages split into fragments (RFC 6347
// §4.2.3: fragment_offset, fragment_length) back together, per stream (a
// session, a peer) and message_seq. Fragments may arrive in any order, more
// than once, and overlapping. Memory is bounded: before a new message would
// exceed MaxBytes or MaxMessages the oldest pending messages are dropped, so
// a message that never completes is eventually forgotten.
//
// The zero value is ready to use; it is safe for concurrent use.
type Reassembler struct {
	MaxBytes    int // bytes held across pending messages; 0 = DefaultReassemblyBytes
	MaxMessages int // messages pending at once; 0 = DefaultReassemblyMessages

	mu      sync.Mutex
	pending map[msgKey]*partial
	held    int    // bytes of body and bitmap across pending
	clock   uint64 // stamps pending messages, oldest first out
}

type msgKey struct {
	stream string
	seq    uint16
}

// partial is a message being reassembled; have marks the bytes received.
type partial struct {
	typ  uint8
	body []byte
	have []byte // one bit per body byte
	got  int    // bytes received
	born uint64
}

func (p *partial) size() int { return len(p.body) + len(p.have) }

// heldFor is what a pending message of n bytes holds: its body and bitmap.
func heldFor(n uint32) int { return int(n) + int(n+7)/8 }

// Add takes one handshake record fragment (the 12-byte handshake header and
// what follows) of stream. When the fragment completes its message, Add
// returns the message as a single unfragmented handshake fragment (offset 0,
// fragment_length = length) that ParseClientHello and the other decoders
// accept; until then it returns nil. A fragment that contradicts what is
// held for its message_seq (another type, length or bytes) starts the
// message over: the peer began a new one.
func (r *Reassembler) Add(stream string, fragment []byte) ([]byte, error) {
	hh, data, err := ParseHandshakeHeader(fragment)
	if err != nil {
		return nil, err
	}
	k := msgKey{stream, hh.MessageSeq}
	r.mu.Lock()
	defer r.mu.Unlock()
	if hh.FragmentOffset == 0 && hh.FragmentLength == hh.Length {
		r.drop(k)
		return whole(hh, data), nil
	}
	if need := heldFor(hh.Length); need > r.maxBytes() {
		return nil, fmt.Errorf("%w: %s of %d bytes needs %d, limit %d", ErrMessageTooLarge, HandshakeTypeName(hh.Type), hh.Length, need, r.maxBytes())
	}
	p := r.pending[k]
	if p != nil && (p.typ != hh.Type || len(p.body) != int(hh.Length) || p.conflicts(int(hh.FragmentOffset), data)) {
		r.drop(k)
		p = nil
	}
	if p == nil {
		p = r.start(k, hh)
	}
	p.fill(int(hh.FragmentOffset), data)
	if p.got < len(p.body) {
		return nil, nil
	}
	r.drop(k)
	return whole(hh, p.body), nil
}

// start makes room for a new message, oldest out first, and holds it.
func (r *Reassembler) start(k msgKey, hh HandshakeHeader) *partial {
	p := &partial{typ: hh.Type, body: make([]byte, hh.Length), have: make([]byte, (hh.Length+7)/8)}
	for len(r.pending) > 0 && (len(r.pending) >= r.maxMessages() || r.held+p.size() > r.maxBytes()) {
		r.dropOldest()
	}
	if r.pending == nil {
		r.pending = map[msgKey]*partial{}
	}
	r.clock++
	p.born = r.clock
	r.pending[k] = p
	r.held += p.size()
	return p
}

func (r *Reassembler) drop(k msgKey) {
	if p := r.pending[k]; p != nil {
		r.held -= p.size()
		delete(r.pending, k)
	}
}

func (r *Reassembler) dropOldest() {
	var (
		oldest msgKey
		born   uint64
	)
	for k, p := range r.pending {
		if born == 0 || p.born < born {
			oldest, born = k, p.born
		}
	}
	r.drop(oldest)
}

// usage reports what is held, for tests of the bounds.
func (r *Reassembler) usage() (messages, bytes int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending), r.held
}

func (r *Reassembler) maxBytes() int {
	if r.MaxBytes > 0 {
		return r.MaxBytes
	}
	return DefaultReassemblyBytes
}

func (r *Reassembler) maxMessages() int {
	if r.MaxMessages > 0 {
		return r.MaxMessages
	}
	return DefaultReassemblyMessages
}

// conflicts reports bytes already received that data would change.
func (p *partial) conflicts(off int, data []byte) bool {
	for i, b := range data {
		if j := off + i; p.has(j) && p.body[j] != b {
			return true
		}
	}
	return false
}

func (p *partial) fill(off int, data []byte) {
	for i, b := range data {
		j := off + i
		if !p.has(j) {
			p.have[j/8] |= 1 << (j % 8)
			p.body[j] = b
			p.got++
		}
	}
}

func (p *partial) has(j int) bool { return p.have[j/8]&(1<<(j%8)) != 0 }

// whole renders a complete message as one unfragmented handshake fragment.
func whole(hh HandshakeHeader, body []byte) []byte {
	n := len(body)
	out := make([]byte, HandshakeHeaderLen, HandshakeHeaderLen+n)
	out[0] = hh.Type
	putUint24(out[1:4], uint32(n))
	out[4], out[5] = byte(hh.MessageSeq>>8), byte(hh.MessageSeq)
	putUint24(out[9:12], uint32(n))
	return append(out, body...)
}

func putUint24(b []byte, v uint32) { b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v) }
