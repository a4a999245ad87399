package servers

import (
	"encoding/hex"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// pionHelloBody is the body of a real pion ClientHello (random zeroed): SNI
// "lwm2m.example.org", suites C0A8 and 00A8, a connection_id extension.
const pionHelloBody = `
fefd 0000000000000000000000000000000000000000000000000000000000000000
00 00 0004 c0a800a8 01 00 0052
000d 0010 000e 0403 0503 0603 0401 0501 0601 0807
ff01 0001 00
000a 0008 0006 001d 0017 0018
000b 0002 01 00
0017 0000
0000 0016 0014 00 0011 6c776d326d2e6578616d706c652e6f7267
0036 0005 04 c1d2e3f4`

// helloFragment is bytes off..off+n of the 128-byte body as a fragment of
// ClientHello message_seq 0 in an epoch-0 handshake record.
func helloFragment(t *testing.T, seq, off, n int) []byte {
	body, err := hex.DecodeString(strings.Join(strings.Fields(pionHelloBody), ""))
	if err != nil || len(body) != 128 {
		t.Fatalf("body of %d bytes: %v", len(body), err)
	}
	rec := []byte{0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, byte(seq), 0, byte(12 + n),
		1, 0, 0, 128, 0, 0, 0, 0, byte(off), 0, 0, byte(n)}
	return append(rec, body[off:off+n]...)
}

// A ClientHello re-split by hand into three fragments over two datagrams,
// out of order and with duplicates, yields one ClientHello event.
func TestFragmentedClientHelloOneEvent(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	sock, err := net.DialUDP("udp", nil, s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	first, second, third := func(seq int) []byte { return helloFragment(t, seq, 0, 43) },
		func(seq int) []byte { return helloFragment(t, seq, 43, 43) },
		func(seq int) []byte { return helloFragment(t, seq, 86, 42) }
	for _, d := range [][]byte{
		append(third(0), first(1)...),
		append(append(first(2), second(3)...), third(4)...), // second completes it; third is late
	} {
		if _, err := sock.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	e := waitEvent(t, log, events.ClientHello, 5*time.Second, nil)
	if n := len(eventsOf(log, events.ClientHello)); n != 1 {
		t.Fatalf("%d ClientHello events, want 1:\n%s", n, timeline(log))
	}
	upRecords := 0
	for _, r := range eventsOf(log, events.Record) {
		if r.Fields["dir"] == dirUp {
			upRecords++
		}
	}
	if upRecords != 5 {
		t.Fatalf("%d records seen by the time of the ClientHello, want all 5:\n%s", upRecords, timeline(log))
	}
	if !e.Hello.HasSNI || e.Hello.SNI != "lwm2m.example.org" || !e.Hello.ConnectionID {
		t.Errorf("hello %+v", e.Hello)
	}
	if !reflect.DeepEqual(e.Hello.CipherSuites, []uint16{0xc0a8, 0x00a8}) {
		t.Errorf("suites %x", e.Hello.CipherSuites)
	}
	if e.Fields["reassembled"] != "true" || e.Fields["session"] != "s1" || e.Fields["retransmission"] != "false" {
		t.Errorf("fields %v", e.Fields)
	}
}

// A pion client whose MTU forces every handshake message into fragments
// completes the handshake; each of its ClientHellos is reported once.
func TestFragmentedClientHelloPion(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	cfg := pskClientConfig("dev1")
	cfg.MTU = 48
	c, err := dialDTLS(testCtx(t, 10*time.Second), s.Addr(), cfg, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, timeline(log))
	}
	defer c.close()
	waitEvent(t, log, events.HandshakeDone, 5*time.Second, nil)
	var hellos []events.Event
	for _, h := range eventsOf(log, events.ClientHello) {
		if h.Fields["retransmission"] == "false" {
			hellos = append(hellos, h)
		}
	}
	if len(hellos) != 2 {
		t.Fatalf("%d ClientHello events, want the initial one and the one with the cookie:\n%s", len(hellos), timeline(log))
	}
	for _, h := range hellos {
		if h.Fields["reassembled"] != "true" || !h.Hello.HasSNI || h.Hello.SNI != "lwm2m.test" ||
			!reflect.DeepEqual(h.Hello.CipherSuites, []uint16{0xC0A8}) {
			t.Errorf("%s: %+v %v", h.Summary, h.Hello, h.Fields)
		}
	}
	if hellos[1].Hello.CookieLen == 0 {
		t.Errorf("second ClientHello without cookie: %v", hellos[1].Fields)
	}
}
