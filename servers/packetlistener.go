package servers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// errListenerClosed is returned by accept once the listener is closed.
var errListenerClosed = errors.New("servers: listener closed")

// acceptBacklog bounds the sessions waiting for a handshake goroutine.
const acceptBacklog = 128

// maxDatagram is the largest UDP payload.
const maxDatagram = 65535

// packetListener owns the UDP socket of a DTLS harness peer. It decodes every
// inbound datagram with the wire tap before pion sees it, routes it to a
// session by connection ID (RFC 9146) when one is in use and by remote address
// otherwise, and hands new sessions to accept. It is a re-implementation of the
// routing in pion's internal udp listener, which cannot be given a socket that
// the harness can observe.
type packetListener struct {
	conn    *net.UDPConn
	cidLen  int // length of the CIDs this server hands out; 0 = no CID routing
	tap     *wireTap
	capture *serverCapture // nil without a capture

	mu       sync.Mutex
	byAddr   map[string]*sessionConn
	byCID    map[string]*sessionConn
	sessions map[*sessionConn]struct{}
	nextID   int
	closed   bool

	acceptCh  chan *sessionConn
	closing   chan struct{}
	readDone  chan struct{}
	closeOnce sync.Once
}

func listenPackets(addr string, cidLen int, tap *wireTap, capturePath string) (*packetListener, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("servers: resolve %q: %w", addr, err)
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return nil, fmt.Errorf("servers: listen %q: %w", addr, err)
	}
	capture, err := openCapture(capturePath, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	l := &packetListener{
		conn:     conn,
		cidLen:   cidLen,
		tap:      tap,
		capture:  capture,
		byAddr:   map[string]*sessionConn{},
		byCID:    map[string]*sessionConn{},
		sessions: map[*sessionConn]struct{}{},
		acceptCh: make(chan *sessionConn, acceptBacklog),
		closing:  make(chan struct{}),
		readDone: make(chan struct{}),
	}
	go l.readLoop()
	return l, nil
}

// Addr is the bound UDP address.
func (l *packetListener) Addr() net.Addr { return l.conn.LocalAddr() }

func (l *packetListener) readLoop() {
	defer close(l.readDone)
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := l.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. ICMP port unreachable surfaced by the kernel
		}
		at := time.Now()
		data := append([]byte(nil), buf[:n]...)
		l.capture.inbound(from, data, at)
		recs, perr := dtlswire.ParseRecords(data, l.cidLen)
		s, retired := l.route(from, recs)
		if retired != nil {
			l.tap.sessionReplaced(retired, from, at)
			_ = retired.Close()
		}
		l.tap.inbound(s, from, recs, perr, len(data), at)
		if s != nil {
			s.deliver(datagram{data: data, from: from})
		}
	}
}

// route finds or creates the session for a datagram; retired is an
// established session the same address has just started to replace.
func (l *packetListener) route(from net.Addr, recs []dtlswire.Record) (s, retired *sessionConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, nil
	}
	if l.cidLen > 0 {
		for _, r := range recs {
			if r.ContentType == dtlswire.ContentTLS12CID {
				if s := l.byCID[string(r.CID)]; s != nil {
					s.notePeer(from, r.Epoch, r.Seq)
					return s, nil
				}
			}
		}
	}
	key := from.String()
	s = l.byAddr[key]
	startsHandshake := isClientHello(recs)
	if s != nil && s.established.Load() && startsHandshake {
		// A client that lost its state handshakes again from the same
		// address (RFC 6347 §4.2.8): the old association is dead.
		delete(l.byAddr, key)
		retired, s = s, nil
	}
	if s != nil {
		return s, retired
	}
	if !startsHandshake {
		return nil, retired
	}
	l.nextID++
	s = newSessionConn(l, fmt.Sprintf("s%d", l.nextID), from)
	s.hello = recs[0].Fragment // set before the handshake goroutine reads it
	select {
	case l.acceptCh <- s:
	default:
		return nil, retired // backlog full: drop, the client retransmits
	}
	l.byAddr[key] = s
	l.sessions[s] = struct{}{}
	return s, retired
}

// isClientHello reports whether a datagram starts with an epoch-0 ClientHello
// (or its first fragment), the only thing that may open a session.
func isClientHello(recs []dtlswire.Record) bool {
	if len(recs) == 0 {
		return false
	}
	r := recs[0]
	return r.ContentType == dtlswire.ContentHandshake && r.Epoch == 0 &&
		len(r.Fragment) > 0 && r.Fragment[0] == dtlswire.HandshakeClientHello
}

// accept returns the next new session.
func (l *packetListener) accept(ctx context.Context) (*sessionConn, error) {
	select {
	case s := <-l.acceptCh:
		return s, nil
	case <-l.closing:
		return nil, errListenerClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// write sends a session's datagram after the tap has seen it, and learns the
// connection ID the server handed out in its ServerHello.
func (l *packetListener) write(s *sessionConn, p []byte, to net.Addr) (int, error) {
	cid := l.tap.outbound(s, to, p, time.Now())
	if l.cidLen > 0 {
		l.mu.Lock()
		if cid != nil && !l.closed {
			l.byCID[string(cid)] = s
			s.hasCID = true
		}
		// Once the peer has moved under a CID, its old address may be
		// reused by another client (same rule as pion's listener).
		if s.hasCID && to.String() != s.raddr.String() && l.byAddr[s.raddr.String()] == s {
			delete(l.byAddr, s.raddr.String())
		}
		l.mu.Unlock()
	}
	l.capture.outbound(to, p, time.Now())
	return l.conn.WriteTo(p, to)
}

// forget drops every route to a closed session.
func (l *packetListener) forget(s *sessionConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range l.byAddr {
		if v == s {
			delete(l.byAddr, k)
		}
	}
	for k, v := range l.byCID {
		if v == s {
			delete(l.byCID, k)
		}
	}
	delete(l.sessions, s)
}

// Close stops reading, closes the socket and every session.
func (l *packetListener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		l.mu.Lock()
		l.closed = true
		open := make([]*sessionConn, 0, len(l.sessions))
		for s := range l.sessions {
			open = append(open, s)
		}
		l.mu.Unlock()
		close(l.closing)
		err = l.conn.Close()
		<-l.readDone
		for _, s := range open {
			_ = s.Close()
		}
		err = errors.Join(err, l.capture.close())
	})
	return err
}
