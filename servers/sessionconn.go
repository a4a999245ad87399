package servers

import (
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// datagram is one inbound UDP payload with the address it came from; with
// connection IDs the address may change within a session.
type datagram struct {
	data []byte
	from net.Addr
}

// sessionQueueLen bounds the datagrams waiting for the DTLS layer of one
// session; beyond it datagrams are dropped, as the network would.
const sessionQueueLen = 64

// sessionConn is the net.PacketConn pion sees for one DTLS session. Reads come
// from the listener's routing; writes go out on the shared socket after the
// wire tap has looked at them.
type sessionConn struct {
	l      *packetListener
	id     string   // "s1", "s2"... ties the events of one session together
	raddr  net.Addr // address of the first datagram
	wire   *wireState
	hello  []byte // the ClientHello (or its first fragment) that opened the session
	queue  chan datagram
	done   chan struct{}
	closed sync.Once

	established atomic.Bool // the DTLS handshake finished
	hasCID      bool        // a CID route exists; guarded by the listener's mutex

	mu           sync.Mutex
	readDeadline time.Time
	wake         chan struct{} // closed when the read deadline changes

	// The peer address as RFC 9146 §6 moves it: the source of the newest
	// tls12_cid record. pion makes the same move, but only after it has
	// handed the record's data up, so the answer to a request that arrives
	// from a new address would go to the old one.
	peer      net.Addr
	peerEpoch uint16
	peerSeq   uint64
}

// notePeer records the source of a tls12_cid record if it is the newest yet.
func (c *sessionConn) notePeer(from net.Addr, epoch uint16, seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.peer == nil || epoch > c.peerEpoch || (epoch == c.peerEpoch && seq > c.peerSeq) {
		c.peer, c.peerEpoch, c.peerSeq = from, epoch, seq
	}
}

// remote is where the session's peer is now.
func (c *sessionConn) remote() net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.peer != nil {
		return c.peer
	}
	return c.raddr
}

// destination corrects pion's possibly stale peer address once CID records
// have been seen.
func (c *sessionConn) destination(addr net.Addr) net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.peer != nil {
		return c.peer
	}
	return addr
}

func newSessionConn(l *packetListener, id string, raddr net.Addr) *sessionConn {
	return &sessionConn{
		l:     l,
		id:    id,
		raddr: raddr,
		wire:  &wireState{},
		queue: make(chan datagram, sessionQueueLen),
		done:  make(chan struct{}),
		wake:  make(chan struct{}),
	}
}

// deliver queues an inbound datagram; it reports false when it was dropped.
func (c *sessionConn) deliver(d datagram) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.queue <- d:
		return true
	default:
		return false
	}
}

// ReadFrom implements net.PacketConn.
func (c *sessionConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		c.mu.Lock()
		dl, wake := c.readDeadline, c.wake
		c.mu.Unlock()
		var (
			timer   *time.Timer
			expired <-chan time.Time
		)
		if !dl.IsZero() {
			wait := time.Until(dl)
			if wait <= 0 {
				return 0, nil, os.ErrDeadlineExceeded
			}
			timer = time.NewTimer(wait)
			expired = timer.C
		}
		n, from, again, err := c.wait(p, wake, expired)
		if timer != nil {
			timer.Stop()
		}
		if !again {
			return n, from, err
		}
	}
}

// wait blocks for one datagram; again reports a deadline change to re-check.
func (c *sessionConn) wait(p []byte, wake <-chan struct{}, expired <-chan time.Time) (n int, from net.Addr, again bool, err error) {
	select {
	case d := <-c.queue:
		return copy(p, d.data), d.from, false, nil
	case <-c.done:
		return 0, nil, false, net.ErrClosed
	case <-expired:
		return 0, nil, false, os.ErrDeadlineExceeded
	case <-wake:
		return 0, nil, true, nil
	}
}

// WriteTo implements net.PacketConn.
func (c *sessionConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	select {
	case <-c.done:
		return 0, net.ErrClosed
	default:
	}
	return c.l.write(c, p, c.destination(addr))
}

// Close implements net.PacketConn; it releases the session's routes.
func (c *sessionConn) Close() error {
	c.closed.Do(func() {
		close(c.done)
		c.l.forget(c)
	})
	return nil
}

// LocalAddr implements net.PacketConn.
func (c *sessionConn) LocalAddr() net.Addr { return c.l.Addr() }

// SetDeadline implements net.PacketConn.
func (c *sessionConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

// SetReadDeadline implements net.PacketConn; a blocked ReadFrom re-checks it.
func (c *sessionConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDeadline = t
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
	return nil
}

// SetWriteDeadline implements net.PacketConn; UDP writes do not block.
func (c *sessionConn) SetWriteDeadline(time.Time) error { return nil }
