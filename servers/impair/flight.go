package impair

import (
	"bytes"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// startsFlight reports whether a handshake message of type t begins a
// flight when sent in direction d (RFC 6347 §4.2.4). ClientKeyExchange
// begins the SUT's second flight only when no Certificate precedes it; the
// tracker checks that.
func startsFlight(d Dir, t uint8) bool {
	switch d {
	case Up:
		return t == dtlswire.HandshakeClientHello || t == dtlswire.HandshakeCertificate ||
			t == dtlswire.HandshakeClientKeyExchange
	case Down:
		return t == dtlswire.HandshakeHelloVerifyRequest || t == dtlswire.HandshakeServerHello
	}
	return false
}

// flightStart is the first message of one flight transmission.
type flightStart struct {
	typ uint8
	seq uint16
}

// flightTracker recognises flight transmissions in each direction, drops
// the ones Config.DropFlight selects and measures retransmission intervals.
type flightTracker struct {
	rules  []Flight
	fired  []bool
	counts [2]map[uint8]int  // transmissions per first-message type
	cur    [2]*flightStart   // flight most recently begun per direction
	window [2]string         // drop reason while a selected flight is being dropped
	last   map[retxKey]*retx // per flight of the current handshake
	random []byte            // ClientHello random of the current handshake
	retx   []*Retransmission // in order of first retransmission
}

type retxKey struct {
	dir Dir
	typ uint8
	seq uint16
}

type retx struct {
	at    time.Time
	entry *Retransmission
}

func newFlightTracker(rules []Flight) *flightTracker {
	return &flightTracker{
		rules:  rules,
		fired:  make([]bool, len(rules)),
		counts: [2]map[uint8]int{{}, {}},
		last:   map[retxKey]*retx{},
	}
}

// observe looks at one datagram arriving from direction d and returns a drop
// reason when it belongs to a flight transmission selected for dropping.
func (f *flightTracker) observe(d Dir, recs []dtlswire.Record, at time.Time) string {
	start, ok := f.start(d, recs)
	if f.window[d] != "" {
		if !ok && onlyHandshake(recs) {
			return f.window[d]
		}
		f.window[d] = "" // the sender moved on: a retransmission, or something else
	}
	if !ok {
		return ""
	}
	f.cur[d] = &start
	f.retransmission(d, start, recs, at)
	f.counts[d][start.typ]++
	n := f.counts[d][start.typ]
	for i, r := range f.rules {
		if !f.fired[i] && r.Dir == d && r.Handshake == start.typ && r.Occurrence == n {
			f.fired[i] = true
			f.window[d] = fmt.Sprintf("drop_flight %s #%d", dtlswire.HandshakeTypeName(start.typ), n)
			return f.window[d]
		}
	}
	return ""
}

// start returns the first message of the flight transmission this datagram
// begins, if it begins one.
func (f *flightTracker) start(d Dir, recs []dtlswire.Record) (flightStart, bool) {
	if len(recs) == 0 || recs[0].ContentType != dtlswire.ContentHandshake || recs[0].Epoch != 0 {
		return flightStart{}, false
	}
	hh, _, err := dtlswire.ParseHandshakeHeader(recs[0].Fragment)
	if err != nil || hh.FragmentOffset != 0 || !startsFlight(d, hh.Type) {
		return flightStart{}, false
	}
	if d == Up && hh.Type == dtlswire.HandshakeClientKeyExchange {
		if c := f.cur[Up]; c != nil && c.typ == dtlswire.HandshakeCertificate && hh.MessageSeq == c.seq+1 {
			return flightStart{}, false // continues the flight the client Certificate began
		}
	}
	return flightStart{typ: hh.Type, seq: hh.MessageSeq}, true
}

// retransmission records the interval since the previous transmission of
// the same flight. A ClientHello with message_seq 0 and a new random starts
// a new handshake, whose message numbers start again.
func (f *flightTracker) retransmission(d Dir, s flightStart, recs []dtlswire.Record, at time.Time) {
	if d == Up && s.typ == dtlswire.HandshakeClientHello && s.seq == 0 {
		if r := clientRandom(recs[0].Fragment); r != nil && !bytes.Equal(r, f.random) {
			f.random = r
			clear(f.last)
		}
	}
	k := retxKey{d, s.typ, s.seq}
	prev, ok := f.last[k]
	if !ok {
		f.last[k] = &retx{at: at}
		return
	}
	if prev.entry == nil {
		prev.entry = &Retransmission{Dir: d, Handshake: s.typ, MessageSeq: s.seq, Epoch: recs[0].Epoch}
		f.retx = append(f.retx, prev.entry)
	}
	prev.entry.Count++
	prev.entry.Intervals = append(prev.entry.Intervals, at.Sub(prev.at))
	prev.at = at
}

// retransmissions returns deep copies of what was measured.
func (f *flightTracker) retransmissions() []Retransmission {
	out := make([]Retransmission, 0, len(f.retx))
	for _, r := range f.retx {
		c := *r
		c.Intervals = append([]time.Duration(nil), r.Intervals...)
		out = append(out, c)
	}
	return out
}

// onlyHandshake reports a datagram that can still belong to a handshake
// flight: handshake and change_cipher_spec records only.
func onlyHandshake(recs []dtlswire.Record) bool {
	if len(recs) == 0 {
		return false
	}
	for _, r := range recs {
		if r.ContentType != dtlswire.ContentHandshake && r.ContentType != dtlswire.ContentChangeCipherSpec {
			return false
		}
	}
	return true
}
