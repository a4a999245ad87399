package servers

import (
	"bytes"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// sutRecord returns the first Record event the server saw from the SUT whose
// field key has value want.
func sutRecord(log *events.Log, key, want string) (events.Event, bool) {
	for _, e := range eventsOf(log, events.Record) {
		if e.Fields["dir"] == "up" && e.Fields["observer"] == "server" && e.Fields[key] == want {
			return e, true
		}
	}
	return events.Event{}, false
}

// Without Verbose, every record the SUT sends after its ClientHello is on
// the timeline, so a case can tell when the SUT last spoke.
func TestSUTRecordsAreEventsWithoutVerbose(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	c, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), pskClientConfig("dev1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)

	for _, want := range [][2]string{{"handshake", "client_key_exchange"}, {"type", "change_cipher_spec"}} {
		e, ok := sutRecord(log, want[0], want[1])
		if !ok {
			t.Fatalf("no up Record with %s=%s:\n%s", want[0], want[1], timeline(log))
		}
		if e.Fields["session"] != "s1" || e.Fields["epoch"] != "0" || e.Fields["remote"] != c.sock.LocalAddr().String() {
			t.Errorf("%s record fields %v", want[1], e.Fields)
		}
	}
	// The encrypted Finished: the SUT's first epoch-1 record.
	fin, ok := sutRecord(log, "epoch", "1")
	if !ok || fin.Fields["type"] != "handshake" || fin.Time.After(done.Time) {
		t.Fatalf("encrypted Finished: %v found %v, handshake done at %v:\n%s", fin.Fields, ok, done.Time, timeline(log))
	}
	if _, ok := fin.Fields["handshake"]; ok {
		t.Errorf("handshake type read from an encrypted record: %v", fin.Fields)
	}
	var down bool
	for _, e := range eventsOf(log, events.Record) {
		down = down || e.Fields["dir"] == "down" && e.Fields["handshake"] == "server_hello"
	}
	if !down {
		t.Errorf("no down Record for the ServerHello:\n%s", timeline(log))
	}
}

// A SUT spraying records gets maxRecordEvents Record events and one note.
func TestRecordEventsAreCapped(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	sock, err := net.DialUDP("udp", nil, s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	// 500 empty epoch-1 application_data records per datagram.
	empty := []byte{23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	datagram := bytes.Repeat(empty, 500)
	for range 6 {
		if _, err := sock.Write(datagram); err != nil {
			t.Fatal(err)
		}
	}
	capped := waitEvent(t, log, events.Note, 2*time.Second, func(e events.Event) bool { return e.Fields["what"] == "records_capped" })
	if capped.Fields["limit"] != strconv.Itoa(maxRecordEvents) {
		t.Errorf("note %v", capped.Fields)
	}
	// More spray, then a datagram that is not DTLS: the server reads in
	// order, so once its note shows the spray before it has been handled.
	for _, d := range [][]byte{datagram, {0x40, 0x01, 0x00, 0x01}} {
		if _, err := sock.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	waitEvent(t, log, events.Note, 2*time.Second, func(e events.Event) bool { return e.Fields["error"] != "" })
	if n := len(eventsOf(log, events.Record)); n != maxRecordEvents {
		t.Errorf("%d Record events, cap is %d", n, maxRecordEvents)
	}
	var notes int
	for _, e := range eventsOf(log, events.Note) {
		if e.Fields["what"] == "records_capped" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("%d records_capped notes, want 1", notes)
	}
}
