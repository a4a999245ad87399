package impair

import (
	"net"
	"sync"
	"time"
)

// reorderMaxHold bounds how long a datagram held back for reordering waits
// for a successor; the last datagram of a flight has none until the sender
// retransmits, and holding it that long would turn reordering into loss.
const reorderMaxHold = 50 * time.Millisecond

// outbound is a datagram the proxy has decided to forward.
type outbound struct {
	data      []byte
	via       *net.UDPAddr // Down: the upstream socket it arrived on
	due       time.Time
	delay     time.Duration // added by Delay/Jitter
	duplicate bool          // send it twice
	reordered bool          // held back behind its successor
}

// scheduler sends one direction's datagrams in order at their due time.
type scheduler struct {
	send func(outbound)

	mu        sync.Mutex
	q         []outbound // due times never decrease along q
	lastDue   time.Time
	held      *outbound
	heldUntil time.Time
	wake      chan struct{}
}

func newScheduler(send func(outbound)) *scheduler {
	return &scheduler{send: send, wake: make(chan struct{}, 1)}
}

// push queues o; holdBack keeps it until the next datagram has been queued
// (or reorderMaxHold passed). A datagram arriving while another is held is
// never held itself: it is the one the held datagram goes behind. push
// reports whether o was held.
func (s *scheduler) push(o outbound, holdBack bool) (held bool) {
	s.mu.Lock()
	if o.due.Before(s.lastDue) {
		o.due = s.lastDue // jitter never reorders
	}
	switch {
	case s.held != nil:
		h := *s.held
		s.held = nil
		h.due = o.due
		s.q = append(s.q, o, h)
		s.lastDue = o.due
	case holdBack:
		o.reordered = true
		s.held = &o
		s.heldUntil = time.Now().Add(reorderMaxHold)
		held = true
	default:
		s.q = append(s.q, o)
		s.lastDue = o.due
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return held
}

// run sends datagrams as they fall due until done is closed; what is still
// queued then is discarded.
func (s *scheduler) run(done <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		o, next, ready := s.next(time.Now())
		if ready {
			s.send(o)
			continue
		}
		var fire <-chan time.Time
		if !next.IsZero() {
			timer.Reset(time.Until(next))
			fire = timer.C
		}
		select {
		case <-done:
			return
		case <-s.wake:
		case <-fire:
		}
	}
}

// next pops the datagram due at now, or returns when something falls due
// (zero when nothing is pending).
func (s *scheduler) next(now time.Time) (o outbound, next time.Time, ready bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held != nil && !now.Before(s.heldUntil) {
		h := *s.held
		s.held = nil
		if h.due.Before(s.lastDue) {
			h.due = s.lastDue
		}
		s.q = append(s.q, h)
		s.lastDue = h.due
	}
	if len(s.q) > 0 {
		if !now.Before(s.q[0].due) {
			o = s.q[0]
			s.q = s.q[1:]
			return o, time.Time{}, true
		}
		next = s.q[0].due
	}
	if s.held != nil && (next.IsZero() || s.heldUntil.Before(next)) {
		next = s.heldUntil
	}
	return outbound{}, next, false
}
