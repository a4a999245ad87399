package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/dm"
)

// exchangeLifetime is EXCHANGE_LIFETIME with the default CoAP parameters
// (RFC 7252 §4.8.2): how long to wait for Bootstrap-Finish when /0/x/12
// (Bootstrap-Server Account Timeout) does not say.
const exchangeLifetime = 247 * time.Second

// responseGrace lets the handler's response leave before the connection
// that carries it is closed (Bootstrap-Finish, Reboot).
const responseGrace = 150 * time.Millisecond

// bootstrap runs Client Initiated Bootstrap (Core §6.1.2) until a
// Bootstrap-Finish leaves a usable configuration, retrying with backoff.
func (c *Client) bootstrap(ctx context.Context) error {
	bo := newBackoff(c.opts.RetryBase, c.opts.RetryMax)
	for attempt := 0; ; attempt++ {
		bs, ok := bootstrapSecurity(c.model)
		if !ok {
			return &configError{errors.New("bootstrap needed but the data model has no bootstrap Security instance")}
		}
		t, err := resolveTarget(bs)
		if err != nil {
			return &configError{fmt.Errorf("bootstrap server: %w", err)}
		}
		if attempt == 0 && bs.ClientHoldOff > 0 {
			c.log.Info("waiting Client Hold Off Time before bootstrap", "for", bs.ClientHoldOff)
			if err := sleepCtx(ctx, bs.ClientHoldOff); err != nil {
				return err
			}
		}
		err = c.bootstrapOnce(ctx, t)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return context.Cause(ctx)
		case isConfigError(err), isCrash(err):
			return err
		}
		d := bo.next()
		c.log.Warn("bootstrap failed, retrying", "server", t.uri, "error", err, "retry_in", d)
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// bootstrapOnce connects to the bootstrap server, sends Bootstrap-Request
// and serves the bootstrap interface until Bootstrap-Finish.
func (c *Client) bootstrapOnce(ctx context.Context, t target) error {
	log := c.log.With("server", t.uri)
	h := dm.New(c.model, log)
	h.SetBootstrapMode(true)
	finished := make(chan struct{})
	var once sync.Once
	h.OnBootstrapFinish(func() error {
		if err := checkBootstrapResult(c.model); err != nil {
			log.Warn("Bootstrap-Finish refused: configuration unusable", "error", err)
			return err
		}
		once.Do(func() { close(finished) })
		return nil
	})
	cn, err := c.openCoAP(ctx, t, h)
	if err != nil {
		h.Close()
		return err
	}
	closeConn := func() {
		cn.close()
		h.Close()
	}
	ep := c.model.Endpoint()
	log.Info("Bootstrap-Request", "ep", ep)
	rctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	err = bootstrapRequest(rctx, cn, ep)
	cancel()
	if err != nil {
		closeConn()
		return err
	}
	timeout := t.sec.BootstrapTimeout
	if timeout <= 0 {
		timeout = exchangeLifetime
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-finished:
		// Let the 2.04 to Bootstrap-Finish leave before closing.
		_ = sleepCtx(ctx, responseGrace)
		closeConn()
		c.setBootstrapped()
		if c.state != nil {
			c.state.poke()
		}
		accts, _ := serverAccounts(c.model)
		log.Info("bootstrap finished", "server_accounts", len(accts))
		return nil
	case <-cn.Done():
		closeConn()
		return errors.New("bootstrap server closed the connection before Bootstrap-Finish")
	case <-timer.C:
		closeConn()
		return fmt.Errorf("no Bootstrap-Finish within %s", timeout)
	case <-ctx.Done():
		closeConn()
		return context.Cause(ctx)
	}
}
