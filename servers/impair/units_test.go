package impair

import (
	"bytes"
	"context"
	"math"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

func TestConfigErrors(t *testing.T) {
	up := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5684}
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "Upstream is nil"},
		{Config{Upstream: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}}, "no port"},
		{Config{Upstream: up, Loss: 1.5}, "Loss 1.5"},
		{Config{Upstream: up, Duplicate: -0.1}, "Duplicate"},
		{Config{Upstream: up, Reorder: math.NaN()}, "Reorder"},
		{Config{Upstream: up, DropUp: []int{0}}, "DropUp index 0"},
		{Config{Upstream: up, DropDown: []int{-3}}, "DropDown index -3"},
		{Config{Upstream: up, DropFlight: []Flight{{Dir: 7, Handshake: 2, Occurrence: 1}}}, "direction 7"},
		{Config{Upstream: up, DropFlight: []Flight{{Dir: Down, Handshake: 2}}}, "occurrence 0"},
		{Config{Upstream: up, DropFlight: []Flight{{Dir: Down, Handshake: dtlswire.HandshakeClientHello, Occurrence: 1}}}, "never starts a down flight"},
		{Config{Upstream: up, Delay: -time.Second}, "negative Delay"},
		{Config{Upstream: up, MTU: -1}, "negative MTU"},
		{Config{Upstream: up, CIDLen: 256}, "CIDLen 256"},
		{Config{Upstream: up, Listen: "not an address"}, "listen address"},
		{Config{Upstream: up, PcapngPath: "/nonexistent/dir/c.pcapng"}, "capture"},
	} {
		p, err := Start(context.Background(), c.cfg)
		if err == nil {
			_ = p.Close()
			t.Errorf("%+v: no error", c.cfg)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %q, want containing %q", err, c.want)
		}
	}
}

// collectSends records what a scheduler sends, in order.
type collectSends struct {
	mu  sync.Mutex
	got []string
}

func (c *collectSends) send(o outbound) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range o.copies() {
		s := string(o.data)
		if i > 0 {
			s += "'"
		}
		c.got = append(c.got, s)
	}
}

func (c *collectSends) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		if len(c.got) >= n {
			out := append([]string(nil), c.got...)
			c.mu.Unlock()
			return out
		}
		c.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("only %v sent, want %d", c.got, n)
	return nil
}

func TestSchedulerOrder(t *testing.T) {
	c := &collectSends{}
	s := newScheduler(c.send)
	done := make(chan struct{})
	defer close(done)
	go s.run(done)
	now := time.Now()
	// b is held back and goes out behind c; c's duplicate travels with it;
	// d's short delay never overtakes c's longer one.
	s.push(outbound{data: []byte("a"), due: now}, false)
	if !s.push(outbound{data: []byte("b"), due: now}, true) {
		t.Fatal("b not held")
	}
	if s.push(outbound{data: []byte("c"), due: now.Add(40 * time.Millisecond), duplicate: true}, true) {
		t.Fatal("c held although b waits for it")
	}
	s.push(outbound{data: []byte("d"), due: now.Add(5 * time.Millisecond)}, false)
	got := strings.Join(c.wait(t, 5), " ")
	if got != "a c c' b d" {
		t.Fatalf("sent %q, want %q", got, "a c c' b d")
	}
	// A held datagram with no successor goes out after reorderMaxHold.
	start := time.Now()
	s.push(outbound{data: []byte("e"), due: start}, true)
	c.wait(t, 6)
	if waited := time.Since(start); waited < reorderMaxHold {
		t.Fatalf("held datagram released after %v, before %v", waited, reorderMaxHold)
	}
}

func TestOfferedCID(t *testing.T) {
	hello := func(exts string) []byte {
		body := mustHex(t, "fefd"+strings.Repeat("00", 32)+"00 00 0002 c0a8 01 00"+exts)
		h := []byte{dtlswire.HandshakeClientHello, 0, 0, byte(len(body)), 0, 0, 0, 0, 0, 0, 0, byte(len(body))}
		return append(h, body...)
	}
	for _, c := range []struct {
		name string
		frag []byte
		cid  string
		ok   bool
	}{
		{"no extensions", hello(""), "", true},
		{"rfc 9146", hello("0009 0036 0005 04 a1a2a3a4"), "a1a2a3a4", true},
		{"draft codepoint", hello("0006 0035 0002 01 ff"), "ff", true},
		{"empty cid", hello("0005 0036 0001 00"), "", true},
		{"other extension only", hello("0004 0017 0000"), "", true},
		{"truncated extension", hello("0006 0036 0005 04"), "", false},
		{"cid overruns extension", hello("0006 0036 0002 05 aa"), "", false},
		{"not a client hello", append([]byte{2}, hello("")[1:]...), "", false},
		{"short", []byte{1, 0, 0}, "", false},
	} {
		cid, ok := offeredCID(c.frag)
		if ok != c.ok || string(cid) != string(mustHex(t, c.cid)) {
			t.Errorf("%s: cid %x ok %v, want %s %v", c.name, cid, ok, c.cid, c.ok)
		}
	}
}

// Both peers ask for a CID: each direction's records carry the CID the
// receiver chose, decoded with the length learnt from its hello.
func TestCIDLengthsLearntPerDirection(t *testing.T) {
	srvCfg := pskConfig()
	srvCfg.ConnectionIDGenerator = dtls.RandomCIDGenerator(8)
	srv := startEchoServer(t, srvCfg)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: srv.addr(), Events: log})
	cliCfg := pskConfig()
	cliCfg.ConnectionIDGenerator = dtls.RandomCIDGenerator(3)
	c, err := dialThrough(t, p.Addr(), cliCfg, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, c, "cid both ways")
	for dir, hexLen := range map[string]int{"up": 16, "down": 6} {
		recs := recordsWhere(log, map[string]string{"dir": dir, "type": "tls12_cid"})
		if len(recs) < 2 {
			t.Fatalf("%d tls12_cid records %s", len(recs), dir)
		}
		for _, e := range recs {
			if len(e.Fields["cid"]) != hexLen {
				t.Fatalf("%s cid %q, want %d hex digits", dir, e.Fields["cid"], hexLen)
			}
		}
	}
	if n := len(notesWhat(log, "undecodable")); n != 0 {
		t.Fatalf("%d undecodable datagrams", n)
	}
}

// Garbage never stops the proxy: it is forwarded, noted a bounded number of
// times, and the proxy keeps working.
func TestGarbageIsForwardedAndNoted(t *testing.T) {
	server, sut := udpSocket(t), udpSocket(t)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: server.LocalAddr().(*net.UDPAddr), Events: log})
	junk := [][]byte{
		{0x16},                     // one byte
		mustHex(t, "16 fefd 0000"), // truncated header
		mustHex(t, "19 fefd 0001 000000000001 0102"),        // tls12_cid, CID length unknown
		mustHex(t, "16 fefd 0000 000000000000 0005 01"),     // length beyond the datagram
		mustHex(t, "16 fefd 0000 000000000000 0003 010000"), // handshake header cut short
		[]byte("GET / HTTP/1.1\r\n\r\n"),
	}
	for range 4 { // 5 undecodable kinds × 4 exceeds the cap
		for _, j := range junk {
			if _, err := sut.WriteToUDP(j, p.Addr()); err != nil {
				t.Fatal(err)
			}
			if b, _ := recv(t, server, time.Second); !bytes.Equal(b, j) {
				t.Fatalf("server got %x, want %x", b, j)
			}
		}
	}
	notes := notesWhat(log, "undecodable")
	if len(notes) != maxRepeatedNotes {
		t.Fatalf("%d undecodable notes, want the cap %d", len(notes), maxRepeatedNotes)
	}
	if st := p.Stats(); st.Up != 4*len(junk) || st.DroppedUp != 0 {
		t.Fatalf("stats %+v", st)
	}
}
