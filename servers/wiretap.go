package servers

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// maxUndecodableNotes bounds the notes about datagrams that are not DTLS, so
// a client sending plain CoAP to a DTLS port cannot flood the timeline.
const maxUndecodableNotes = 16

// wireTap turns datagrams into events: every record header both ways,
// ClientHellos, plaintext alerts in both directions, the server's first
// flight, and in verbose mode datagrams that match no session.
type wireTap struct {
	rec         *recorder
	verbose     bool
	undecodable atomic.Int32
	records     atomic.Int64         // Record events so far, for maxRecordEvents
	hellos      dtlswire.Reassembler // ClientHellos split into fragments, per session
}

// wireState is what the tap learnt about one session.
type wireState struct {
	mu          sync.Mutex
	lastHello   []byte // the whole ClientHello message, to spot retransmissions
	hello       *events.Hello
	serverHello *dtlswire.ServerHello
	flightSent  bool // the server flight answering the current ClientHello went out
	alert       *events.Alert
	pskIdentity string
	pskSeen     bool
}

// resumed reports an abbreviated handshake: the server echoed the non-empty
// session_id the client offered (RFC 5246 §7.4.1.3).
func (w *wireState) resumed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hello != nil && w.serverHello != nil && len(w.hello.SessionID) > 0 &&
		bytes.Equal(w.hello.SessionID, w.serverHello.SessionID)
}

// localCID is the connection ID the server asked the client to send, if any.
func (w *wireState) localCID() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.serverHello == nil {
		return nil
	}
	return w.serverHello.ConnectionID
}

func (w *wireState) setPSKIdentity(id string) {
	w.mu.Lock()
	w.pskIdentity, w.pskSeen = id, true
	w.mu.Unlock()
}

func (w *wireState) lastAlert() *events.Alert {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.alert
}

func (w *wireState) sni() (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hello == nil {
		return "", false
	}
	return w.hello.SNI, w.hello.HasSNI
}

// inbound looks at a datagram before it is routed to pion. s is nil when no
// session takes the datagram.
func (t *wireTap) inbound(s *sessionConn, from net.Addr, recs []dtlswire.Record, perr error, size int, at time.Time) {
	sid := sessionID(s)
	t.recordEvents(dirUp, sid, from, recs, at)
	if t.verbose && s == nil && perr == nil {
		t.rec.add(at, events.Note, fmt.Sprintf("datagram of %d bytes from %s matches no session; dropped", size, from),
			map[string]string{"remote": from.String()})
	}
	if perr != nil && t.undecodable.Add(1) <= maxUndecodableNotes {
		t.rec.add(at, events.Note, fmt.Sprintf("undecodable datagram of %d bytes from %s: %v", size, from, perr),
			map[string]string{"remote": from.String(), "session": sid, "error": perr.Error()})
	}
	for _, r := range recs {
		if r.Epoch != 0 {
			continue
		}
		switch r.ContentType {
		case dtlswire.ContentHandshake:
			if len(r.Fragment) > 0 && r.Fragment[0] == dtlswire.HandshakeClientHello {
				t.clientHello(s, from, r.Fragment, at)
			}
		case dtlswire.ContentAlert:
			t.alert(s, from, r.Fragment, at, true)
		}
	}
}

// clientHello reports a ClientHello once all of its fragments are in.
func (t *wireTap) clientHello(s *sessionConn, from net.Addr, frag []byte, at time.Time) {
	sid := sessionID(s)
	stream := sid
	if s == nil {
		stream = "remote " + from.String()
	}
	msg, err := t.hellos.Add(stream, frag)
	if err == nil && msg == nil {
		return // more fragments to come
	}
	var h *events.Hello
	if err == nil {
		h, err = dtlswire.ParseClientHello(msg)
	}
	if err != nil {
		t.rec.add(at, events.Note, fmt.Sprintf("ClientHello from %s not decodable: %v", from, err),
			map[string]string{"remote": from.String(), "session": sid, "error": err.Error()})
		return
	}
	retransmission := false
	if s != nil {
		w := s.wire
		w.mu.Lock()
		retransmission = bytes.Equal(w.lastHello, msg)
		if !retransmission {
			w.flightSent = false
		}
		w.lastHello = append(w.lastHello[:0], msg...)
		w.hello = h
		w.mu.Unlock()
	}
	names := make([]string, len(h.CipherSuites))
	for i, id := range h.CipherSuites {
		names[i] = dtlswire.CipherSuiteName(id)
	}
	fields := map[string]string{
		"remote":         from.String(),
		"session":        sid,
		"cookie":         strconv.FormatBool(h.CookieLen > 0),
		"retransmission": strconv.FormatBool(retransmission),
		"suites":         strings.Join(names, ","),
		"cid_offered":    strconv.FormatBool(h.ConnectionID),
		"session_id":     hex.EncodeToString(h.SessionID),
	}
	what := "ClientHello"
	if hh, _, _ := dtlswire.ParseHandshakeHeader(frag); hh.FragmentLength != hh.Length {
		fields["reassembled"] = "true"
		what = "reassembled ClientHello"
	}
	sni := "no SNI"
	if h.HasSNI {
		fields["sni"] = h.SNI
		sni = "SNI " + strconv.Quote(h.SNI)
	}
	if h.CookieLen > 0 {
		what += " with cookie"
	}
	if retransmission {
		what += " (retransmission)"
	}
	t.rec.add(at, events.ClientHello, fmt.Sprintf("%s from %s: %s, %d suites", what, from, sni, len(h.CipherSuites)), fields, withHello(h))
}

// alert records a plaintext alert; received says which way it travelled.
func (t *wireTap) alert(s *sessionConn, peer net.Addr, frag []byte, at time.Time, received bool) {
	a, err := dtlswire.ParseAlert(frag)
	if err != nil {
		return // not a plaintext alert; pion reports what it decrypts
	}
	kind, dir := events.AlertSent, "to"
	if received {
		kind, dir = events.AlertReceived, "from"
		if s != nil {
			s.wire.mu.Lock()
			s.wire.alert = a
			s.wire.mu.Unlock()
		}
	}
	t.rec.add(at, kind, fmt.Sprintf("%s alert %s %s %s", dtlswire.AlertLevelName(a.Level), a.Name, dir, peer),
		map[string]string{"remote": peer.String(), "session": sessionID(s), "level": dtlswire.AlertLevelName(a.Level), "alert": a.Name},
		withAlert(a))
}

// outbound looks at a datagram the server is about to send and returns the
// connection ID carried by a ServerHello in it, if any.
func (t *wireTap) outbound(s *sessionConn, to net.Addr, p []byte, at time.Time) []byte {
	// Outbound tls12_cid records carry the client's CID, whose length is not
	// needed here: the plaintext handshake records precede them.
	recs, _ := dtlswire.ParseRecords(p, 0)
	t.recordEvents(dirDown, sessionID(s), to, recs, at)
	var (
		cid   []byte
		types []string
		hello bool
	)
	for _, r := range recs {
		if r.Epoch != 0 {
			continue
		}
		switch r.ContentType {
		case dtlswire.ContentAlert:
			t.alert(s, to, r.Fragment, at, false)
		case dtlswire.ContentHandshake:
			hh, _, err := dtlswire.ParseHandshakeHeader(r.Fragment)
			if err != nil {
				continue
			}
			types = append(types, dtlswire.HandshakeTypeName(hh.Type))
			if hh.Type != dtlswire.HandshakeServerHello {
				continue
			}
			if sh, err := dtlswire.ParseServerHello(r.Fragment); err == nil {
				hello = true
				s.wire.mu.Lock()
				s.wire.serverHello = sh
				s.wire.mu.Unlock()
				if sh.HasConnectionID && len(sh.ConnectionID) > 0 {
					cid = sh.ConnectionID
				}
			}
		}
	}
	if hello {
		s.wire.mu.Lock()
		first := !s.wire.flightSent
		s.wire.flightSent = true
		s.wire.mu.Unlock()
		if first {
			t.rec.add(at, events.Note, fmt.Sprintf("server flight sent to %s: %s", to, strings.Join(types, ", ")),
				map[string]string{"what": "server_flight", "remote": to.String(), "session": s.id, "messages": strings.Join(types, ",")})
		}
	}
	return cid
}

// sessionReplaced notes that a new ClientHello ended an established session.
func (t *wireTap) sessionReplaced(old *sessionConn, from net.Addr, at time.Time) {
	t.rec.add(at, events.Note, fmt.Sprintf("new handshake from %s replaces established session %s", from, old.id),
		map[string]string{"remote": from.String(), "session": old.id})
}

func sessionID(s *sessionConn) string {
	if s == nil {
		return ""
	}
	return s.id
}
