package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/dm"
	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Reasons a server session ends other than a failure.
var (
	errConnectionLost = errors.New("connection lost")
	errDisabled       = errors.New("disabled by the server (/1/x/4)")
	// errFallbackBootstrap: registration kept failing and a bootstrap
	// server exists (Core §6.2.1, Bootstrap on Registration Failure).
	errFallbackBootstrap = errors.New("registration keeps failing: falling back to bootstrap")
)

// registrationRetries is how many connection/registration attempts fail
// before falling back to bootstrap when the Server instance does not say
// (/1/x/17 and /1/x/20 unset): the LwM2M 1.1 default Communication Retry
// Count, one sequence.
const registrationRetries = 5

// defaultDisableTimeout is /1/x/5's default (Core Appendix E.2).
const defaultDisableTimeout = 86400 * time.Second

// serverSession keeps one server registration alive across connections.
type serverSession struct {
	c   *Client
	a   account
	log *slog.Logger
	sig *sessionSignals

	location string    // registration location, "" when not registered
	sent     regParams // the values the server last heard of
	changes  chan struct{}
}

// runServer registers with one server and keeps the registration until ctx
// ends (then De-registers, except for a reboot) or a fatal error.
func (c *Client) runServer(ctx context.Context, a account) error {
	s := &serverSession{
		c:       c,
		a:       a,
		log:     c.log.With("server", a.t.uri, "ssid", a.ssid()),
		sig:     c.hooks.attach(a.srv.Instance),
		changes: make(chan struct{}, 1),
	}
	defer c.hooks.detach(a.srv.Instance, s.sig)
	cancelSub := c.model.Subscribe(func(lwm2m.Path) { poke(s.changes) })
	defer cancelSub()
	defer c.setRegistered(a.ssid(), "")

	bo := newBackoff(c.opts.RetryBase, c.opts.RetryMax)
	failures := 0
	for {
		err := s.connectAndServe(ctx, bo)
		switch {
		case ctx.Err() != nil:
			return context.Cause(ctx)
		case isConfigError(err), isCrash(err):
			return err
		case errors.Is(err, errDisabled):
			d := s.disableTimeout()
			s.log.Info("server disabled: De-registered, waiting before registering again", "for", d)
			if err := sleepCtx(ctx, d); err != nil {
				return err
			}
			continue
		}
		// Failures while registered do not count towards the bootstrap
		// fallback: the registration stays valid until its lifetime ends.
		if s.location == "" {
			failures++
		} else {
			failures = 0
		}
		rf := c.model.RegistrationFailure(a.srv.Instance)
		if failures >= rf.RetryCount*rf.SequenceRetryCount && rf.Bootstrap && c.hasBootstrapServer() && !c.registeredElsewhere(a.ssid()) {
			s.log.Warn("registration failed repeatedly: falling back to bootstrap", "attempts", failures, "error", err)
			return errFallbackBootstrap
		}
		d := retryDelay(rf, failures, bo)
		s.log.Warn("server connection failed, retrying", "error", err, "retry_in", d)
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// retryDelay is the wait after `failures` failed attempts (Core 1.1
// §6.2.1.1): the server's Communication Retry Timer, doubling within a
// sequence, and its Sequence Delay Timer between sequences; where the
// server set neither, the client's own backoff.
func retryDelay(rf model.RegistrationFailure, failures int, bo *backoff) time.Duration {
	switch {
	case failures == 0: // the connection of a live registration failed
		return bo.next()
	case failures%rf.RetryCount == 0 && rf.SequenceDelaySet:
		return rf.SequenceDelay
	case failures%rf.RetryCount != 0 && rf.RetryTimerSet:
		return rf.RetryTimer << ((failures - 1) % rf.RetryCount)
	}
	return bo.next()
}

// registeredElsewhere reports whether another server account is
// registered: one failing server must not tear down working ones by
// re-bootstrapping; it keeps retrying instead.
func (c *Client) registeredElsewhere(ssid uint16) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.status.Registered {
		if s != ssid {
			return true
		}
	}
	return false
}

func (c *Client) hasBootstrapServer() bool {
	_, ok := bootstrapSecurity(c.model)
	return ok
}

func (s *serverSession) disableTimeout() time.Duration {
	if srv, ok := s.server(); ok && srv.DisableTimeout > 0 {
		return srv.DisableTimeout
	}
	return defaultDisableTimeout
}

// connectAndServe opens one connection, registers (or updates an existing
// registration), then serves until the connection ends.
func (s *serverSession) connectAndServe(ctx context.Context, bo *backoff) error {
	// One handler per connection: its observations send on this
	// connection and end with it (a server that reconnects observes again).
	h := dm.New(s.c.model, s.log)
	h.SetShortServerID(s.a.ssid())
	defer h.Close()
	cn, err := s.c.openCoAP(ctx, s.a.t, h)
	if err != nil {
		return err
	}
	defer cn.close()

	if s.location != "" {
		// A new connection to a server that knows us: Update (Core
		// §6.2.2) with whatever changed meanwhile; a 4.04 means
		// register again.
		err := s.sendUpdate(ctx, cn, h, s.changed())
		if err != nil {
			return err
		}
	} else if err := s.register(ctx, cn, h); err != nil {
		return err
	}
	bo.reset()

	timer := time.NewTimer(updateDelay(s.sent.lifetime))
	defer timer.Stop()
	rearm := func() {
		timer.Stop()
		timer.Reset(updateDelay(s.sent.lifetime))
	}
	for {
		select {
		case <-ctx.Done():
			if !errors.Is(context.Cause(ctx), errReboot) {
				s.deregister(cn)
			}
			return context.Cause(ctx)
		case <-cn.Done():
			return errConnectionLost
		case <-timer.C:
			if err := s.sendUpdate(ctx, cn, h, updateParams{}); err != nil {
				return err
			}
			rearm()
		case <-s.sig.update:
			s.log.Info("Registration Update Trigger executed")
			if err := s.sendUpdate(ctx, cn, h, s.changed()); err != nil {
				return err
			}
			rearm()
		case <-s.changes:
			u := s.changed()
			if u.lifetime == nil && u.binding == nil && u.links == nil {
				continue
			}
			if err := s.sendUpdate(ctx, cn, h, u); err != nil {
				return err
			}
			rearm()
		case <-s.sig.disable:
			s.deregister(cn)
			return errDisabled
		}
	}
}

// server is this session's Server instance as the model holds it now.
func (s *serverSession) server() (model.Server, bool) {
	for _, srv := range s.c.model.Servers() {
		if srv.ShortServerID == s.a.ssid() {
			return srv, true
		}
	}
	return model.Server{}, false
}

// current is what a Register would send now.
func (s *serverSession) current() regParams {
	p := regParams{
		endpoint: s.c.model.Endpoint(),
		version:  s.c.model.Version(),
		lifetime: s.a.srv.Lifetime,
		binding:  s.a.srv.Binding,
		links:    lwm2m.FormatLinks(s.c.model.ObjectLinks()),
	}
	if srv, ok := s.server(); ok {
		p.lifetime, p.binding = srv.Lifetime, srv.Binding
	}
	if p.lifetime <= 0 {
		p.lifetime = defaultLifetime
	}
	if p.binding == "" {
		p.binding = "U"
	}
	return p
}

// changed lists what differs from what the server last heard of: the
// Update parameters of Core §6.2.2 (lifetime, binding, object instances).
func (s *serverSession) changed() updateParams {
	now := s.current()
	var u updateParams
	if now.lifetime != s.sent.lifetime {
		u.lifetime = &now.lifetime
	}
	if now.binding != s.sent.binding {
		u.binding = &now.binding
	}
	if now.links != s.sent.links {
		u.links = &now.links
	}
	return u
}

func (s *serverSession) register(ctx context.Context, cn *coapConn, h *dm.Handler) error {
	p := s.current()
	s.log.Info("Register", "ep", p.endpoint, "lt", seconds(p.lifetime), "lwm2m", p.version, "b", p.binding, "objects", p.links)
	rctx, cancel := context.WithTimeout(ctx, s.c.opts.RequestTimeout)
	defer cancel()
	loc, err := register(rctx, cn, p)
	if err != nil {
		if ctx.Err() != nil {
			// The client is being stopped: not a failure of the server.
			s.log.Debug("Register abandoned: client stopping", "error", err)
			return err
		}
		s.log.Warn("Register failed", "error", err)
		return err
	}
	// Observations belong to the previous registration (Core §6.4.1).
	h.CancelObservations()
	s.location, s.sent = loc, p
	s.c.setRegistered(s.a.ssid(), loc)
	s.log.Info("registered", "location", loc)
	s.c.notifyRegistered(s.a.ssid(), loc)
	return nil
}

// sendUpdate sends an Update with u; a registration the server no longer
// knows (4.04, or any other refusal) is replaced by a new Register.
func (s *serverSession) sendUpdate(ctx context.Context, cn *coapConn, h *dm.Handler, u updateParams) error {
	s.log.Info("Update", "location", s.location, "params", u.String())
	rctx, cancel := context.WithTimeout(ctx, s.c.opts.RequestTimeout)
	err := update(rctx, cn, s.location, u)
	cancel()
	var re *responseError
	switch {
	case err == nil:
		if u.lifetime != nil {
			s.sent.lifetime = *u.lifetime
		}
		if u.binding != nil {
			s.sent.binding = *u.binding
		}
		if u.links != nil {
			s.sent.links = *u.links
		}
		return nil
	case errors.Is(err, errRegistrationGone), errors.As(err, &re):
		s.log.Warn("Update refused: registering again", "error", err)
		s.location = ""
		s.c.setRegistered(s.a.ssid(), "")
		return s.register(ctx, cn, h)
	default:
		s.log.Warn("Update failed", "error", err)
		return fmt.Errorf("%w: %v", errConnectionLost, err)
	}
}

// deregister sends De-register, bounded by DeregisterTimeout so that
// stopping stays prompt even when the server is gone.
func (s *serverSession) deregister(cn *coapConn) {
	if s.location == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.c.opts.DeregisterTimeout)
	defer cancel()
	s.log.Info("De-register", "location", s.location)
	if err := deregister(ctx, cn, s.location); err != nil {
		s.log.Warn("De-register failed", "error", err)
	} else {
		s.log.Info("de-registered", "location", s.location)
	}
	s.location = ""
	s.c.setRegistered(s.a.ssid(), "")
}
