package client

import (
	"bytes"
	"sync"

	"github.com/pion/dtls/v2"
)

// storedSession is one resumable DTLS session.
type storedSession struct {
	ID     []byte `json:"id"`
	Secret []byte `json:"secret"`
	// Validated records whether the server certificate was validated in
	// the full handshake that created the session: a resumed handshake
	// carries no certificate, so this is the only evidence left.
	Validated bool `json:"validated"`
}

// sessionCache holds the DTLS sessions for resumption, keyed by server
// (see sessionKey; pion's own key is the resolved address plus SNI, which
// would not survive a DNS change). It is persisted in the state file so
// resumption works across restarts (seed 001 §5.15.2.5).
type sessionCache struct {
	mu       sync.Mutex
	byServer map[string]storedSession
	changed  func() // called after every change, outside the lock
}

func newSessionCache() *sessionCache {
	return &sessionCache{byServer: map[string]storedSession{}}
}

// snapshot returns a copy for persistence.
func (c *sessionCache) snapshot() map[string]storedSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]storedSession, len(c.byServer))
	for k, v := range c.byServer {
		out[k] = v
	}
	return out
}

// restore replaces the content with persisted sessions.
func (c *sessionCache) restore(m map[string]storedSession) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byServer = make(map[string]storedSession, len(m))
	for k, v := range m {
		if len(v.ID) > 0 && len(v.Secret) > 0 {
			c.byServer[k] = v
		}
	}
}

func (c *sessionCache) notify() {
	if c.changed != nil {
		c.changed()
	}
}

// forHandshake returns the pion SessionStore for one handshake under key.
// validated is asked when pion saves a new session. The store records what
// happened, to tell a resumed handshake from a full one afterwards.
func (c *sessionCache) forHandshake(key string, validated func() bool) *handshakeSessions {
	return &handshakeSessions{cache: c, key: key, validated: validated}
}

// handshakeSessions is a dtls.SessionStore bound to one server: pion's key
// argument is ignored.
type handshakeSessions struct {
	cache     *sessionCache
	key       string
	validated func() bool

	mu      sync.Mutex
	offered storedSession // put in the ClientHello; empty ID if none
	saved   bool          // pion stores a session only after a full handshake
}

func (h *handshakeSessions) Get([]byte) (dtls.Session, error) {
	h.cache.mu.Lock()
	s := h.cache.byServer[h.key]
	h.cache.mu.Unlock()
	h.mu.Lock()
	h.offered = s
	h.mu.Unlock()
	return dtls.Session{ID: append([]byte(nil), s.ID...), Secret: append([]byte(nil), s.Secret...)}, nil
}

func (h *handshakeSessions) Set(_ []byte, s dtls.Session) error {
	entry := storedSession{
		ID:        append([]byte(nil), s.ID...),
		Secret:    append([]byte(nil), s.Secret...),
		Validated: h.validated(),
	}
	h.cache.mu.Lock()
	h.cache.byServer[h.key] = entry
	h.cache.mu.Unlock()
	h.mu.Lock()
	h.saved = true
	h.mu.Unlock()
	h.cache.notify()
	return nil
}

// Del is called by pion when the server declined to resume or after a fatal
// alert (RFC 5246 §7.2): either way the stored session is dead.
func (h *handshakeSessions) Del([]byte) error {
	h.cache.mu.Lock()
	_, had := h.cache.byServer[h.key]
	delete(h.cache.byServer, h.key)
	h.cache.mu.Unlock()
	if had {
		h.cache.notify()
	}
	return nil
}

// offeredID is the session_id pion put in the ClientHello (nil if none).
func (h *handshakeSessions) offeredID() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.offered.ID
}

// resumed tells whether the finished handshake resumed the offered session
// (and returns it): the connection kept the offered ID and pion did not
// store a new session, which it does only after a full handshake.
func (h *handshakeSessions) resumed(finalID []byte) (storedSession, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ok := len(h.offered.ID) > 0 && !h.saved && bytes.Equal(h.offered.ID, finalID)
	return h.offered, ok
}
