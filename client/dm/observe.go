package dm

import (
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// obsKey identifies an observation: the server's token on a connection.
type obsKey struct {
	conn  mux.Conn
	token string
}

// observations is the set of active observations of a handler.
type observations struct {
	h  *Handler
	mu sync.Mutex
	m  map[obsKey]*observation // guarded by mu
}

func newObservations(h *Handler) *observations {
	return &observations{h: h, m: map[obsKey]*observation{}}
}

// observe serves Observe (GET with Observe: 0): it answers like a Read,
// with an Observe option, and starts notifying. A failing Read starts no
// observation. The same token again replaces the observation (RFC 7641
// §4.1: a re-registration).
func (h *Handler) observe(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	format, recs, payload, err := h.read(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	conn := w.Conn()
	key := obsKey{conn: conn, token: string(r.Token())}
	h.obs.cancel(conn, r.Token())
	o := newObservation(h, key, p, format, recs)
	h.obs.add(o)
	content(w, format, payload)
	w.Message().SetObserve(o.firstSeq)
	h.log.Debug("lwm2m observe", "path", p.String(), "format", format)
	go o.run()
}

func (s *observations) add(o *observation) {
	s.mu.Lock()
	s.m[o.key] = o
	s.mu.Unlock()
}

// detach removes o if it is still registered; it reports whether it was.
func (s *observations) detach(o *observation) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[o.key] != o {
		return false
	}
	delete(s.m, o.key)
	return true
}

// cancel ends the observation with this token on conn, if any, and waits
// for its timers to stop.
func (s *observations) cancel(conn mux.Conn, token message.Token) {
	s.mu.Lock()
	o := s.m[obsKey{conn: conn, token: string(token)}]
	s.mu.Unlock()
	if o != nil {
		s.detach(o)
		o.stop()
	}
}

// reset ends the observation a Reset answered: the one whose recent
// notification carried that message id on conn.
func (s *observations) reset(conn mux.Conn, mid int32) {
	s.mu.Lock()
	var hit *observation
	for k, o := range s.m {
		if k.conn == conn && o.sentMID(mid) {
			hit = o
			break
		}
	}
	s.mu.Unlock()
	if hit != nil {
		s.h.log.Debug("lwm2m observation reset by server", "path", hit.path.String())
		s.detach(hit)
		hit.stop()
	}
}

// cancelAll ends every observation.
func (s *observations) cancelAll() {
	s.mu.Lock()
	all := make([]*observation, 0, len(s.m))
	for k, o := range s.m {
		all = append(all, o)
		delete(s.m, k)
	}
	s.mu.Unlock()
	for _, o := range all {
		o.stop()
	}
}

// changed tells the observations at, above or below p that the model
// changed there.
func (s *observations) changed(p lwm2m.Path) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.m {
		if o.path.IsPrefixOf(p) || p.IsPrefixOf(o.path) {
			o.poke()
		}
	}
}

// reconfigure makes every observation re-read its attributes.
func (s *observations) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.m {
		o.poke()
	}
}

// count is the number of active observations.
func (s *observations) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
