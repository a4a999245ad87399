package dtlswire

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// helloMessage is the vector's ClientHello as a whole message: a 93-byte body.
func helloMessage(t testing.TB) []byte { return unhex(t, clientHelloVector)[13:] }

// fragOf cuts bytes off..off+n of a whole message's body into a fragment.
func fragOf(msg []byte, off, n int) []byte {
	h := append([]byte(nil), msg[:HandshakeHeaderLen]...)
	putUint24(h[6:9], uint32(off))
	putUint24(h[9:12], uint32(n))
	return append(h, msg[HandshakeHeaderLen+off:HandshakeHeaderLen+off+n]...)
}

// datagram puts each fragment in its own epoch-0 handshake record.
func datagram(seq int, frags ...[]byte) []byte {
	var d []byte
	for i, f := range frags {
		d = append(d, ContentHandshake, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, byte(seq+i), byte(len(f)>>8), byte(len(f)))
		d = append(d, f...)
	}
	return d
}

type span struct{ off, n int }

// Fragments travel in records and datagrams; the message completes once,
// when the last missing byte arrives, whatever the order.
func TestReassemblerFragments(t *testing.T) {
	for _, c := range []struct {
		name      string
		datagrams [][]span
		done      int // fragment (0-based, in arrival order) that completes the message; -1 never
		pending   int // messages held at the end
	}{
		{"whole message", [][]span{{{0, 93}}}, 0, 0},
		{"3 fragments over 2 datagrams, out of order, one duplicated", [][]span{{{62, 31}, {0, 31}}, {{0, 31}, {31, 31}}}, 3, 0},
		{"overlapping fragments", [][]span{{{0, 40}, {30, 40}}, {{60, 33}}}, 2, 0},
		{"a fragment inside another", [][]span{{{10, 20}, {0, 50}}, {{50, 43}}}, 2, 0},
		{"empty fragment", [][]span{{{0, 0}, {0, 50}}, {{50, 43}}}, 2, 0},
		{"a whole retransmission replaces the fragments", [][]span{{{0, 50}}, {{0, 93}}}, 1, 0},
		{"a gap never filled", [][]span{{{0, 40}, {50, 43}}}, -1, 1},
		// The duplicate may begin a retransmission: it is held, not completed.
		{"a late duplicate does not complete it again", [][]span{{{0, 50}, {50, 43}}, {{50, 43}}}, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := helloMessage(t)
			var r Reassembler
			n, got := 0, -1
			for i, spans := range c.datagrams {
				var frags [][]byte
				for _, s := range spans {
					frags = append(frags, fragOf(msg, s.off, s.n))
				}
				recs, err := ParseRecords(datagram(10*i, frags...), 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, rec := range recs {
					out, err := r.Add("s1", rec.Fragment)
					if err != nil {
						t.Fatalf("fragment %d: %v", n, err)
					}
					if out != nil {
						if got >= 0 {
							t.Fatalf("completed at fragment %d and again at %d", got, n)
						}
						got = n
						if !bytes.Equal(out, msg) {
							t.Fatalf("reassembled\n%x\nwant\n%x", out, msg)
						}
						h, err := ParseClientHello(out)
						if err != nil || h.SNI != "lwm2m.example" || len(h.CipherSuites) != 3 {
							t.Fatalf("reassembled hello %+v, %v", h, err)
						}
					}
					n++
				}
			}
			if got != c.done {
				t.Fatalf("completed at fragment %d, want %d", got, c.done)
			}
			if m, _ := r.usage(); m != c.pending {
				t.Fatalf("%d messages pending", m)
			}
		})
	}
}

// A fragment that contradicts what is held starts the message over: the
// result never mixes two messages.
func TestReassemblerStartsOver(t *testing.T) {
	a := helloMessage(t)
	b := append([]byte(nil), a...)
	b[HandshakeHeaderLen+45] ^= 0xff // a byte in the overlap of 0+50 and 40+53
	longer := fragOf(a, 0, 50)
	putUint24(longer[1:4], 94)
	otherType := fragOf(a, 0, 50)
	otherType[0] = HandshakeServerHello
	for _, c := range []struct {
		name string
		feed [][]byte
		want []byte // nil: nothing completes
	}{
		{"other bytes", [][]byte{fragOf(a, 0, 50), fragOf(b, 0, 50), fragOf(a, 50, 43)}, b},
		{"other bytes, the old part is gone", [][]byte{fragOf(a, 0, 50), fragOf(b, 40, 53)}, nil},
		{"other length", [][]byte{fragOf(a, 50, 43), longer, fragOf(a, 0, 50)}, nil},
		{"other type", [][]byte{fragOf(a, 50, 43), otherType, fragOf(a, 0, 50)}, nil},
		{"consistent", [][]byte{fragOf(a, 0, 50), fragOf(a, 40, 53)}, a},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r Reassembler
			var got []byte
			for _, f := range c.feed {
				out, err := r.Add("s1", f)
				if err != nil {
					t.Fatal(err)
				}
				if out != nil {
					got = out
				}
			}
			if !bytes.Equal(got, c.want) {
				t.Fatalf("got\n%x\nwant\n%x", got, c.want)
			}
		})
	}
}

// Messages that never complete are dropped oldest first once the bounds
// are reached, and a message beyond the byte bound is refused outright.
func TestReassemblerBounded(t *testing.T) {
	msg := helloMessage(t)
	const held = 93 + 12 // body and bitmap of one pending message
	for _, c := range []struct {
		name                  string
		maxBytes, maxMessages int // the Reassembler's bounds; 0 = default
		streams               int
		maxPending            int
	}{
		{"default bounds", 0, 0, 5000, DefaultReassemblyMessages},
		{"message bound", 0, 3, 50, 3},
		{"byte bound", 2*held + 10, 0, 50, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Reassembler{MaxBytes: c.maxBytes, MaxMessages: c.maxMessages}
			for i := range c.streams {
				if out, err := r.Add(fmt.Sprint("s", i), fragOf(msg, 0, 50)); out != nil || err != nil {
					t.Fatalf("stream %d: %x, %v", i, out, err)
				}
				m, b := r.usage()
				if m > c.maxPending || b != m*held || b > r.maxBytes() {
					t.Fatalf("after %d streams: %d messages, %d bytes pending", i+1, m, b)
				}
			}
			// The newest survive, newest first; the others lost their first half.
			done := 0
			for i := c.streams - 1; i >= 0; i-- {
				if out, _ := r.Add(fmt.Sprint("s", i), fragOf(msg, 50, 43)); out != nil {
					done++
					if i < c.streams-c.maxPending {
						t.Fatalf("stream %d completed; it should have been dropped", i)
					}
				}
			}
			if done != c.maxPending {
				t.Fatalf("%d messages completed, want %d", done, c.maxPending)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		r := Reassembler{MaxBytes: 1000}
		big := fragOf(msg, 0, 50)
		putUint24(big[1:4], 1001)
		if _, err := r.Add("s1", big); !errors.Is(err, ErrMessageTooLarge) {
			t.Fatalf("err = %v, want ErrMessageTooLarge", err)
		}
		if m, b := r.usage(); m != 0 || b != 0 {
			t.Fatalf("%d messages, %d bytes held", m, b)
		}
	})
}

// FuzzReassemble feeds fragments of body cut by plan (two bytes each: where,
// how long), and then raw as a fragment of another stream. The message must
// complete exactly when the fragments first cover it, and equal it.
func FuzzReassemble(f *testing.F) {
	msg := helloMessage(f)
	f.Add(msg[HandshakeHeaderLen:], []byte{170, 90, 0, 90, 0, 90, 85, 90}, msg)
	f.Add(msg[HandshakeHeaderLen:], []byte{0, 255}, fragOf(msg, 10, 20))
	f.Add([]byte{}, []byte{}, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte("x"), []byte{0, 0, 0, 1}, []byte{1, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, body, plan, raw []byte) {
		if len(body) > 4096 {
			body = body[:4096]
		}
		whole := append([]byte{HandshakeClientHello, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0}, body...)
		putUint24(whole[1:4], uint32(len(body)))
		putUint24(whole[9:12], uint32(len(body)))
		var r Reassembler
		covered := make([]bool, len(body))
		left := len(body)
		for i := 0; i+1 < len(plan); i += 2 {
			off := int(plan[i]) * len(body) / 256
			n := min(int(plan[i+1])*len(body)/255, len(body)-off)
			out, err := r.Add("m", fragOf(whole, off, n))
			if err != nil {
				t.Fatal(err)
			}
			for j := off; j < off+n; j++ {
				if !covered[j] {
					covered[j] = true
					left--
				}
			}
			if (out != nil) != (left == 0) {
				t.Fatalf("fragment %d+%d: completed %v, %d bytes missing", off, n, out != nil, left)
			}
			if out != nil {
				if !bytes.Equal(out, whole) {
					t.Fatalf("reassembled %x, want %x", out, whole)
				}
				clear(covered)
				left = len(body)
			}
		}
		out, err := r.Add("raw", raw)
		if out != nil {
			hh, b, err := ParseHandshakeHeader(out)
			if err != nil || hh.FragmentOffset != 0 || int(hh.Length) != len(b) || len(out) != HandshakeHeaderLen+len(b) {
				t.Fatalf("message %x is not whole: %+v, %v", out, hh, err)
			}
		}
		if err != nil && out != nil {
			t.Fatal("message and error together")
		}
		if m, b := r.usage(); m > DefaultReassemblyMessages || b > DefaultReassemblyBytes {
			t.Fatalf("%d messages, %d bytes held", m, b)
		}
	})
}
