package impair

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// fragmentedHello is a ClientHello offering CID a1a2a3a4, its 53-byte body
// cut at offsets 36 and 45, each piece in its own handshake record.
func fragmentedHello(t *testing.T) [3]dtlswire.Record {
	body := mustHex(t, "fefd"+strings.Repeat("11", 32)+"00 00 0002 c0a8 01 00 0009 0036 0005 04 a1a2a3a4")
	var out [3]dtlswire.Record
	cuts := []int{0, 36, 45, len(body)}
	for i := range out {
		off, end := cuts[i], cuts[i+1]
		h := []byte{dtlswire.HandshakeClientHello, 0, 0, byte(len(body)), 0, 0, 0, 0, byte(off), 0, 0, byte(end - off)}
		out[i] = dtlswire.Record{RecordHeader: dtlswire.RecordHeader{ContentType: dtlswire.ContentHandshake},
			Fragment: append(h, body[off:end]...)}
	}
	return out
}

// The proxy learns the CID length the server's records will carry from a
// fragmented ClientHello once its last fragment is in, in any order.
func TestCIDLengthFromFragmentedHello(t *testing.T) {
	f := fragmentedHello(t)
	for _, c := range []struct {
		name      string
		datagrams [][]dtlswire.Record
		want      int
	}{
		{"in order", [][]dtlswire.Record{{f[0]}, {f[1], f[2]}}, 4},
		{"out of order, duplicated", [][]dtlswire.Record{{f[2], f[0]}, {f[2]}, {f[1]}}, 4},
		{"missing a fragment", [][]dtlswire.Record{{f[0], f[2]}}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := cidLengths{n: [2]int{-1, -1}}
			for _, d := range c.datagrams {
				l.learn(Up, d)
			}
			if got := l.of(Down); got != c.want {
				t.Fatalf("down CID length %d, want %d", got, c.want)
			}
		})
	}
}

// A new handshake is told by its random, which the first fragment holds.
func TestClientRandomFromFirstFragment(t *testing.T) {
	f := fragmentedHello(t)
	if r := clientRandom(f[0].Fragment); !bytes.Equal(r, bytes.Repeat([]byte{0x11}, 32)) {
		t.Fatalf("random %x", r)
	}
	if r := clientRandom(f[1].Fragment); r != nil {
		t.Fatalf("random %x from a later fragment", r)
	}
}
