package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Reasons Run restarts its server sessions.
var (
	errReboot             = errors.New("reboot executed (/3/0/4)")
	errBootstrapRequested = errors.New("Bootstrap-Request Trigger executed (/1/x/9)")
)

// Run bootstraps if needed, registers with every LwM2M server account,
// keeps the registrations alive, and on ctx cancellation De-registers and
// closes. It returns ctx.Err() on a clean stop, or the fatal error (bad
// provisioning that retrying cannot fix, or a *CrashError); nil at once for
// the exit-at-start fault.
func (c *Client) Run(ctx context.Context) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return errors.New("client: Run is already running")
	}
	c.running = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}()
	c.warnFaults()
	if c.faults.has(FaultExitAtStart) {
		return nil
	}

	if c.state != nil {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { c.state.run(stop); close(done) }()
		cancelSub := c.model.Subscribe(func(lwm2m.Path) { c.state.poke() })
		defer func() { cancelSub(); close(stop); <-done }()
	}
	c.hooks.drain()

	for {
		err := c.runOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, errReboot):
			c.log.Info("rebooting: reconnecting to every server")
			continue
		case errors.Is(err, errBootstrapRequested), errors.Is(err, errFallbackBootstrap):
			if err := c.bootstrap(ctx); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return err
			}
			continue
		default:
			return err
		}
	}
}

// runOnce bootstraps when there is no server account, then runs every
// server session until one ends; the others are stopped with it.
func (c *Client) runOnce(ctx context.Context) error {
	accts, problems := serverAccounts(c.model)
	for _, p := range problems {
		c.log.Warn("Security instance not usable", "error", p)
	}
	if len(accts) == 0 {
		if !c.hasBootstrapServer() {
			return noAccountError(problems)
		}
		if err := c.est.enrollBeforeBootstrap(ctx); err != nil { // fault est-before-finish
			return err
		}
		if err := c.bootstrap(ctx); err != nil {
			return err
		}
		accts, problems = serverAccounts(c.model)
		if len(accts) == 0 { // the bootstrap result changed since Finish
			return noAccountError(problems)
		}
	}
	if err := c.est.ensure(ctx, accts); err != nil { // Security Mode 4
		return err
	}
	defer c.est.renewInBackground(ctx, accts)()
	return c.runServers(ctx, accts)
}

func noAccountError(problems []error) error {
	if len(problems) == 0 {
		return errors.New("client: no LwM2M server account and no bootstrap server in the data model")
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Error()
	}
	return fmt.Errorf("client: no usable LwM2M server account: %s", strings.Join(msgs, "; "))
}

// runServers runs one session per account. The first to end (fatal error,
// bootstrap fallback), a Reboot or a Bootstrap-Request Trigger stops them
// all; the cause tells the sessions whether to De-register.
func (c *Client) runServers(ctx context.Context, accts []account) error {
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make(chan error, len(accts))
	for _, a := range accts {
		go func() { results <- c.runServer(sctx, a) }()
	}
	var first error
	stop := func(err error) {
		if first == nil {
			first = err
			cancel(err)
		}
	}
	for remaining := len(accts); remaining > 0; {
		select {
		case err := <-results:
			remaining--
			stop(err)
		case <-c.hooks.reboot:
			_ = sleepCtx(sctx, responseGrace)
			stop(errReboot)
		case <-c.hooks.bootstrap:
			_ = sleepCtx(sctx, responseGrace)
			stop(errBootstrapRequested)
		}
	}
	return first
}
