package impair

import (
	"context"
	"encoding/hex"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// Plain UDP sockets on both ends give exact control over what crosses the
// proxy.

func udpSocket(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// recv reads one datagram or returns nil after wait.
func recv(t *testing.T, c *net.UDPConn, wait time.Duration) ([]byte, *net.UDPAddr) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 65535)
	n, from, err := c.ReadFromUDP(buf)
	if err != nil {
		return nil, nil
	}
	return buf[:n], from
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An application_data record and a tls12_cid record with an 8-byte CID.
const (
	appDataRecord = "17 fefd 0001 000000000007 0004 deadbeef"
	cidRecord     = "19 fefd 0001 00000000002a 0102030405060708 0003 aabbcc"
)

func TestForwardsBothWaysAndDropsByIndex(t *testing.T) {
	server, sut := udpSocket(t), udpSocket(t)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: server.LocalAddr().(*net.UDPAddr), DropUp: []int{2}, DropDown: []int{1}, Events: log, CIDLen: 8})

	for i, msg := range []string{appDataRecord, cidRecord, "not dtls at all"} {
		data := []byte(msg)
		if i < 2 {
			data = mustHex(t, msg)
		}
		if _, err := sut.WriteToUDP(data, p.Addr()); err != nil {
			t.Fatal(err)
		}
		got, from := recv(t, server, 300*time.Millisecond)
		if i == 1 {
			if got != nil {
				t.Fatalf("datagram up #2 reached the server: %x", got)
			}
			continue
		}
		if string(got) != string(data) {
			t.Fatalf("server got %q, want %q", got, data)
		}
		// Answer twice: the first answer is dropped (DropDown [1]).
		for range 2 {
			if _, err := server.WriteToUDP(mustHex(t, appDataRecord), from); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := 0
	for {
		b, from := recv(t, sut, 200*time.Millisecond)
		if b == nil {
			break
		}
		if from.String() != p.Addr().String() {
			t.Fatalf("answer from %s, want the proxy %s", from, p.Addr())
		}
		got++
	}
	if got != 3 {
		t.Fatalf("SUT got %d answers, want 3 of 4", got)
	}
	st := p.Stats()
	if st.Up != 3 || st.Down != 4 || st.DroppedUp != 1 || st.DroppedDown != 1 {
		t.Fatalf("stats %+v", st)
	}

	cid := recordsWhere(log, map[string]string{"dir": "up", "type": "tls12_cid"})
	if len(cid) != 1 {
		t.Fatalf("%d tls12_cid events", len(cid))
	}
	want := map[string]string{"n": "2", "epoch": "1", "seq": "42", "cid": "0102030405060708", "length": "3",
		"version": "DTLS 1.2", "dropped": "true", "reason": "drop_up #2", "remote": sut.LocalAddr().String()}
	for k, v := range want {
		if cid[0].Fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, cid[0].Fields[k], v)
		}
	}
	first := recordsWhere(log, map[string]string{"dir": "up", "n": "1"})
	if len(first) != 1 || first[0].Fields["type"] != "application_data" || first[0].Fields["seq"] != "7" || first[0].Fields["dropped"] != "" {
		t.Fatalf("record #1: %+v", first)
	}
	if n := len(notesWhat(log, "undecodable")); n != 1 {
		t.Fatalf("%d undecodable notes, want 1 for the non-DTLS datagram", n)
	}
	if n := len(recordsWhere(log, map[string]string{"dir": "down", "dropped": "true", "n": "1"})); n != 1 {
		t.Fatalf("down #1 not recorded as dropped")
	}
	start := notesWhat(log, "impair_start")
	if len(start) != 1 || start[0].Fields["seed"] == "" || start[0].Fields["seed"] == "0" ||
		start[0].Fields["seed"] != strconv.FormatInt(p.Seed(), 10) {
		t.Fatalf("start notes %+v (seed %d)", start, p.Seed())
	}
}

func TestFollowsTheSUTToANewAddress(t *testing.T) {
	server, sutA, sutB := udpSocket(t), udpSocket(t), udpSocket(t)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: server.LocalAddr().(*net.UDPAddr), Events: log})
	for _, c := range []*net.UDPConn{sutA, sutB} {
		if _, err := c.WriteToUDP([]byte("ping"), p.Addr()); err != nil {
			t.Fatal(err)
		}
		if b, _ := recv(t, server, time.Second); string(b) != "ping" {
			t.Fatalf("server got %q", b)
		}
	}
	st := p.Stats()
	if st.Up != 2 {
		t.Fatalf("stats %+v", st)
	}
	notes := notesWhat(log, "sut_address")
	if len(notes) != 2 || notes[1].Fields["old"] != sutA.LocalAddr().String() || notes[1].Fields["addr"] != sutB.LocalAddr().String() {
		t.Fatalf("sut_address notes %+v", notes)
	}
	// Both SUT sockets spoke through the same upstream socket: the server
	// answers there and the answer goes to the newest SUT address.
	p.mu.Lock()
	upAddr := p.up.LocalAddr().(*net.UDPAddr)
	p.mu.Unlock()
	if _, err := server.WriteToUDP([]byte("pong"), upAddr); err != nil {
		t.Fatal(err)
	}
	if b, _ := recv(t, sutB, time.Second); string(b) != "pong" {
		t.Fatalf("new SUT address got %q", b)
	}
	if b, _ := recv(t, sutA, 100*time.Millisecond); b != nil {
		t.Fatalf("old SUT address got %q", b)
	}
}

func TestRebindClosesTheOldMapping(t *testing.T) {
	server, sut := udpSocket(t), udpSocket(t)
	p := startProxy(t, Config{Upstream: server.LocalAddr().(*net.UDPAddr)})
	send := func() *net.UDPAddr {
		if _, err := sut.WriteToUDP([]byte("x"), p.Addr()); err != nil {
			t.Fatal(err)
		}
		_, from := recv(t, server, time.Second)
		if from == nil {
			t.Fatal("nothing reached the server")
		}
		return from
	}
	old := send()
	if err := p.Rebind(); err != nil {
		t.Fatal(err)
	}
	nu := send()
	if old.Port == nu.Port {
		t.Fatalf("source port %d unchanged by Rebind", old.Port)
	}
	if _, err := server.WriteToUDP([]byte("to old"), old); err != nil {
		t.Fatal(err)
	}
	if _, err := server.WriteToUDP([]byte("to new"), nu); err != nil {
		t.Fatal(err)
	}
	if b, _ := recv(t, sut, time.Second); string(b) != "to new" {
		t.Fatalf("SUT got %q, want only what the server sent to the new port", b)
	}
	if b, _ := recv(t, sut, 100*time.Millisecond); b != nil {
		t.Fatalf("SUT also got %q", b)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Rebind(); err == nil {
		t.Fatal("Rebind after Close succeeded")
	}
}

func TestContextEndsTheProxy(t *testing.T) {
	server := udpSocket(t)
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Config{Upstream: server.LocalAddr().(*net.UDPAddr)})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(2 * time.Second)
	for {
		p.mu.Lock()
		closed := p.closed
		p.mu.Unlock()
		if closed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("proxy still open after its context ended")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
