package client

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"testing"
)

// queueConn is a net.PacketConn that reads from a fixed list of datagrams.
type queueConn struct {
	net.PacketConn // unused methods panic
	in             [][]byte
}

func (q *queueConn) ReadFrom(p []byte) (int, net.Addr, error) {
	if len(q.in) == 0 {
		return 0, nil, os.ErrDeadlineExceeded
	}
	d := q.in[0]
	q.in = q.in[1:]
	return copy(p, d), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5684}, nil
}

// dtlsRecord builds a DTLS 1.2 record.
func dtlsRecord(typ byte, epoch uint16, body []byte) []byte {
	h := []byte{typ, 0xfe, 0xfd}
	h = binary.BigEndian.AppendUint16(h, epoch)
	h = append(h, 0, 0, 0, 0, 0, 1)
	h = binary.BigEndian.AppendUint16(h, uint16(len(body)))
	return append(h, body...)
}

// hsRecord builds an epoch-0 record with one unfragmented handshake message.
func hsRecord(msgType byte, body []byte) []byte {
	n := len(body)
	h := []byte{msgType, byte(n >> 16), byte(n >> 8), byte(n), 0, 0, 0, 0, 0, byte(n >> 16), byte(n >> 8), byte(n)}
	return dtlsRecord(contentHandshake, 0, append(h, body...))
}

func serverHello(sessionID []byte) []byte {
	body := append([]byte{0xfe, 0xfd}, make([]byte, 32)...)
	body = append(body, byte(len(sessionID)))
	body = append(body, sessionID...)
	return hsRecord(hsServerHello, append(body, 0xc0, 0xae, 0))
}

var (
	newSession = bytes.Repeat([]byte{0xaa}, 32)
	oldSession = bytes.Repeat([]byte{0xbb}, 32)
	certMsg    = hsRecord(hsCertificate, make([]byte, 700))
	skeMsg     = hsRecord(hsServerKeyExchange, make([]byte, 100))
	doneMsg    = hsRecord(hsServerHelloDone, nil)
	ccsRecord  = dtlsRecord(20, 0, []byte{1})
	finished   = dtlsRecord(contentHandshake, 1, make([]byte, 40))
	alertRec   = dtlsRecord(21, 0, []byte{2, 40})
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// readAll drains the gate and returns the datagrams in the order pion gets them.
func readAll(t *testing.T, offered []byte, in ...[]byte) [][]byte {
	t.Helper()
	g := newFlightGate(&queueConn{in: in}, func() []byte { return offered })
	var out [][]byte
	buf := make([]byte, 8192)
	for {
		n, _, err := g.ReadFrom(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte(nil), buf[:n]...))
	}
}

func sameOrder(t *testing.T, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d datagrams delivered, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("datagram %d delivered out of order", i)
		}
	}
}

func TestFlightGateDeliversNewSessionServerHelloLast(t *testing.T) {
	a, b := cat(serverHello(newSession), certMsg), cat(skeMsg, doneMsg)
	sameOrder(t, readAll(t, nil, a, b), [][]byte{b, a})

	// Declined resumption: another ID than the offered one.
	sameOrder(t, readAll(t, oldSession, a, b), [][]byte{b, a})

	// A fragmented chain: the middle datagram passes at once.
	sh, c, rest := serverHello(newSession), certMsg, cat(skeMsg, doneMsg)
	sameOrder(t, readAll(t, nil, sh, c, rest), [][]byte{c, rest, sh})

	// A retransmitted flight before the ServerHelloDone: both copies wait.
	sameOrder(t, readAll(t, nil, a, a, b), [][]byte{b, a, a})
}

func TestFlightGatePassesFlightsPionParsesRight(t *testing.T) {
	cases := map[string][][]byte{
		"resumed":              {cat(serverHello(oldSession), ccsRecord, finished)},
		"whole flight":         {cat(serverHello(newSession), certMsg, skeMsg, doneMsg)},
		"no session_id":        {cat(serverHello(nil), certMsg), cat(skeMsg, doneMsg)},
		"hello verify request": {hsRecord(3, make([]byte, 23))},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			sameOrder(t, readAll(t, oldSession, in...), in)
		})
	}
}

func TestFlightGateReleasesOnAnythingElse(t *testing.T) {
	a := cat(serverHello(newSession), certMsg)
	sameOrder(t, readAll(t, nil, a, alertRec), [][]byte{alertRec, a})
	sameOrder(t, readAll(t, nil, a, finished), [][]byte{finished, a})
}

func TestFlightGateHoldsABoundedNumber(t *testing.T) {
	a := cat(serverHello(newSession), certMsg)
	var in, want [][]byte
	for range maxHeldDatagrams + 1 {
		in = append(in, a)
		want = append(want, a)
	}
	// The datagram over the bound passes and releases the rest.
	sameOrder(t, readAll(t, nil, in...), want)
	// Never more than the bound is kept waiting.
	g := newFlightGate(&queueConn{in: in[:maxHeldDatagrams]}, func() []byte { return nil })
	if _, _, err := g.ReadFrom(make([]byte, 8192)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read %v, want the held datagrams kept back", err)
	}
}

func TestScanFlightMalformed(t *testing.T) {
	sh := serverHello(newSession)
	for name, d := range map[string][]byte{
		"short header":         sh[:5],
		"length past the end":  sh[:len(sh)-1],
		"empty record":         dtlsRecord(contentHandshake, 0, nil),
		"cid record":           dtlsRecord(25, 1, make([]byte, 30)),
		"truncated hello body": hsRecord(hsServerHello, []byte{0xfe, 0xfd, 1}),
	} {
		s := scanFlight(d)
		if s.serverHello != nil || s.done {
			t.Errorf("%s: scan %+v", name, s)
		}
	}
	frag := serverHello(newSession)
	frag[recordHeaderLen+8] = 1 // fragment_offset ≠ 0: no session_id here
	if s := scanFlight(frag); s.serverHello != nil {
		t.Errorf("non-first fragment read as a ServerHello: %+v", s)
	}
}
