package servers

import (
	"context"
	"net"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// LwM2M is the harness LwM2M server: it presents the case's DTLS setup (or
// NoSec), records what the client does, serves the registration interface and
// drives device management operations on registered clients.
type LwM2M struct {
	rec *recorder
	t   *transport
	reg *registry
}

// StartLwM2M listens on cfg.Addr and serves until Close or until ctx is done.
func StartLwM2M(ctx context.Context, cfg Config) (*LwM2M, error) {
	s := &LwM2M{rec: newRecorder(cfg.Events, cfg.Logger), reg: newRegistry()}
	t, err := startTransport(ctx, cfg, s.rec, s.handle, nil)
	if err != nil {
		return nil, err
	}
	s.t = t
	s.rec.add(time.Now(), events.Note, "LwM2M server listening on "+t.addr.String()+" ("+securityName(cfg)+")",
		map[string]string{"what": "listening", "addr": t.addr.String(), "security": securityName(cfg)})
	return s, nil
}

// Addr is the UDP address the server listens on.
func (s *LwM2M) Addr() *net.UDPAddr { return s.t.addr }

// Close stops the server and every goroutine it started.
func (s *LwM2M) Close() error { return s.t.Close() }

// Registration returns the current registration of ep.
func (s *LwM2M) Registration(ep string) (Registration, bool) {
	reg, _, ok := s.reg.get(ep)
	return reg, ok
}

// WaitRegistered returns ep's registration as soon as it exists.
func (s *LwM2M) WaitRegistered(ctx context.Context, ep string) (Registration, error) {
	return s.reg.wait(ctx, ep)
}
