package dm

import (
	"net"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

func TestObservePminCoalescesChanges(t *testing.T) {
	e := newEnv(t, "1.1")
	e.writeAttrs("/1/0/1", "pmin=0.3")
	o := e.observe("/1/0/1")
	if o.value(o.first) != "300" {
		t.Fatalf("first value %s", o.value(o.first))
	}
	for _, v := range []int64{301, 302, 303} {
		e.setInt("/1/0/1", v)
		time.Sleep(20 * time.Millisecond)
	}
	n := o.next(time.Second)
	if gap := n.at.Sub(o.first.at); gap < 280*time.Millisecond {
		t.Fatalf("notification %v after the first response, pmin is 300ms", gap)
	}
	if got := o.value(n); got != "303" {
		t.Fatalf("notified %s, want the latest value 303", got)
	}
	if n.r.observe <= o.first.r.observe {
		t.Fatalf("observe sequence %d after %d", n.r.observe, o.first.r.observe)
	}
	if n.typ != message.NonConfirmable {
		t.Fatalf("notification type %v, want NON", n.typ)
	}
	o.none(400 * time.Millisecond)
}

func TestObservePmaxNotifiesWithoutChange(t *testing.T) {
	e := newEnv(t, "1.1")
	e.writeAttrs("/3/0/0", "pmax=0.15")
	o := e.observe("/3/0/0")
	prev := o.first
	for i := 0; i < 3; i++ {
		n := o.next(time.Second)
		gap := n.at.Sub(prev.at)
		if gap < 120*time.Millisecond || gap > 450*time.Millisecond {
			t.Fatalf("notification %d came %v after the previous one, pmax is 150ms", i, gap)
		}
		if o.value(n) != "lwm2m-conform" || n.r.observe <= prev.r.observe {
			t.Fatalf("notification %d: %q seq %d after %d", i, n.r.body, n.r.observe, prev.r.observe)
		}
		prev = n
	}
}

func TestObserveGreaterAndLessThan(t *testing.T) {
	e := newEnv(t, "1.1")
	e.setInt("/1/0/1", 75)
	e.writeAttrs("/1/0/1", "gt=100", "lt=50")
	o := e.observe("/1/0/1")
	quiet := 150 * time.Millisecond
	e.setInt("/1/0/1", 80)
	o.none(quiet)
	e.setInt("/1/0/1", 120) // crosses gt upwards
	if v := o.value(o.next(time.Second)); v != "120" {
		t.Fatalf("notified %s, want 120", v)
	}
	e.setInt("/1/0/1", 110)
	o.none(quiet)
	e.setInt("/1/0/1", 40) // crosses gt downwards and lt
	if v := o.value(o.next(time.Second)); v != "40" {
		t.Fatalf("notified %s, want 40", v)
	}
	e.setInt("/1/0/1", 45)
	o.none(quiet)
	e.setInt("/1/0/1", 60) // crosses lt upwards
	if v := o.value(o.next(time.Second)); v != "60" {
		t.Fatalf("notified %s, want 60", v)
	}
}

func TestObserveStep(t *testing.T) {
	e := newEnv(t, "1.1")
	e.setInt("/1/0/1", 75)
	e.writeAttrs("/1/0/1", "st=10")
	o := e.observe("/1/0/1")
	quiet := 150 * time.Millisecond
	e.setInt("/1/0/1", 80)
	o.none(quiet)
	e.setInt("/1/0/1", 86) // 11 away from the last notified 75
	if v := o.value(o.next(time.Second)); v != "86" {
		t.Fatalf("notified %s, want 86", v)
	}
	e.setInt("/1/0/1", 90)
	o.none(quiet)
	e.setInt("/1/0/1", 76)
	if v := o.value(o.next(time.Second)); v != "76" {
		t.Fatalf("notified %s, want 76", v)
	}
}

func TestObserveInstanceAndConfirmable(t *testing.T) {
	e := newEnv(t, "1.1")
	e.h.SetConfirmableNotifications(true)
	o := e.observe("/1/0", accept(message.AppSenmlJSON))
	e.setInt("/1/0/1", 42)
	n := o.next(time.Second)
	if n.typ != message.Confirmable || n.r.format != message.AppSenmlJSON {
		t.Fatalf("notification type %v format %v", n.typ, n.r.format)
	}
	recs := decodeResp(t, n.r, "/1/0")
	want, _ := e.m.Read(mustPath(t, "/1/0"))
	if !lwm2m.RecordsEqual(recs, want) {
		t.Fatalf("instance notification %v, model %v", recs, want)
	}
	// A change elsewhere does not concern this observation.
	if err := e.m.Set(mustPath(t, "/3/0/3"), lwm2m.String("2.0")); err != nil {
		t.Fatal(err)
	}
	o.none(150 * time.Millisecond)
}

func TestObserveServerDefaultPmax(t *testing.T) {
	e := newEnv(t, "1.1")
	if err := e.m.PutServer(model.Server{Instance: 0, ShortServerID: 101, Lifetime: 300e9, DefaultPmax: time.Second}); err != nil {
		t.Fatal(err)
	}
	e.h.SetShortServerID(101)
	o := e.observe("/3/0/0")
	n := o.next(2 * time.Second)
	if gap := n.at.Sub(o.first.at); gap < 900*time.Millisecond {
		t.Fatalf("notification after %v, default pmax is 1s", gap)
	}
}

func TestObserveCancelWithObserve1(t *testing.T) {
	e := newEnv(t, "1.1")
	o := e.observe("/1/0/1")
	if err := o.obs.Cancel(ctx(t)); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if n := e.h.obs.count(); n != 0 {
		t.Fatalf("%d observations after cancel", n)
	}
	e.setInt("/1/0/1", 99)
	o.none(200 * time.Millisecond)
}

func TestObserveEndsWhenInstanceIsDeleted(t *testing.T) {
	e := newEnv(t, "1.1")
	if err := e.m.PutServer(model.Server{Instance: 3, ShortServerID: 103, Lifetime: 60e9}); err != nil {
		t.Fatal(err)
	}
	o := e.observe("/1/3")
	wantCode(t, "delete", e.del("/1/3"), codes.Deleted)
	n := o.next(time.Second)
	if n.r.code != codes.NotFound || n.r.observe >= 0 {
		t.Fatalf("after delete: %v observe %d", n.r.code, n.r.observe)
	}
	if c := e.h.obs.count(); c != 0 {
		t.Fatalf("%d observations after the path vanished", c)
	}
}

func TestCancelObservationsStopsTimers(t *testing.T) {
	e := newEnv(t, "1.1")
	e.writeAttrs("/3/0/0", "pmax=0.1")
	a := e.observe("/3/0/0")
	b := e.observe("/1/0/1")
	e.h.CancelObservations()
	if c := e.h.obs.count(); c != 0 {
		t.Fatalf("%d observations after CancelObservations", c)
	}
	e.setInt("/1/0/1", 7)
	a.none(250 * time.Millisecond)
	b.none(10 * time.Millisecond)
	if got := e.h.attrs.at(mustPath(t, "/3/0/0")); !got.empty() {
		t.Fatalf("attributes survived CancelObservations: %+v", got)
	}
}

// TestObserveCancelledByReset plays a server that answers a notification
// with Reset, over a raw UDP socket, for NON and CON notifications.
func TestObserveCancelledByReset(t *testing.T) {
	for _, typ := range []message.Type{message.NonConfirmable, message.Confirmable} {
		t.Run(typ.String(), func(t *testing.T) { testObserveReset(t, typ) })
	}
}

func testObserveReset(t *testing.T, typ message.Type) {
	e := newEnv(t, "1.1")
	e.h.SetConfirmableNotifications(typ == message.Confirmable)
	e.writeAttrs("/1/0/1", "pmin=0")
	raw, err := net.Dial("udp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	send := func(m message.Message) {
		t.Helper()
		buf := make([]byte, 256)
		n, err := coder.DefaultCoder.Encode(m, buf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() message.Message {
		t.Helper()
		buf := make([]byte, 1500)
		_ = raw.SetReadDeadline(time.Now().Add(time.Second))
		n, err := raw.Read(buf)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		m := message.Message{Options: make(message.Options, 0, 16)}
		if _, err := coder.DefaultCoder.Decode(buf[:n], &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	token := message.Token{1, 2, 3, 4}
	send(message.Message{Token: token, Code: codes.GET, MessageID: 100, Type: message.Confirmable,
		Options: message.Options{
			{ID: message.Observe, Value: []byte{}},
			{ID: message.URIPath, Value: []byte("1")},
			{ID: message.URIPath, Value: []byte("0")},
			{ID: message.URIPath, Value: []byte("1")},
		}})
	first := recv()
	if first.Code != codes.Content || first.Type != message.Acknowledgement || first.MessageID != 100 {
		t.Fatalf("observe response %v", first.String())
	}
	e.setInt("/1/0/1", 61)
	note := recv()
	if note.Code != codes.Content || note.Type != typ || string(note.Token) != string(token) {
		t.Fatalf("notification %v", note.String())
	}
	// An empty Reset is four bytes: version 1, type RST, no token, code
	// 0.00, the notification's message id.
	if _, err := raw.Write([]byte{0x70, 0x00, byte(note.MessageID >> 8), byte(note.MessageID)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for e.h.obs.count() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("observation survived a Reset")
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.setInt("/1/0/1", 62)
	_ = raw.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := raw.Read(make([]byte, 1500)); err == nil {
		t.Fatalf("%d bytes arrived after the Reset", n)
	}
}
