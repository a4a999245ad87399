package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"

	"github.com/lwm2m-conform/lwm2m-conform/client/est"
)

// ensure enrols when a mode 4 account needs it: /crts when there are no
// anchors, /sen when there is no valid certificate. It runs after
// Bootstrap-Finish (seed 002 §10.3.3.1: "EST requests (other than
// /est/sren) are only performed after receiving the Bootstrap Finish
// request") and retries with backoff until it succeeds or ctx ends.
func (m *estMode) ensure(ctx context.Context, accts []account) error {
	if !needsEST(accts) || m.usable(m.c.opts.Now()) {
		return nil
	}
	bo := newBackoff(m.c.opts.RetryBase, m.c.opts.RetryMax)
	for {
		err := m.enrollOnce(ctx)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return context.Cause(ctx)
		case isConfigError(err):
			return err
		}
		d := bo.next()
		m.log.Warn("EST enrollment failed, retrying", "error", err, "retry_in", d)
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// bootstrapEndpoint is the target of the bootstrap server's account, where
// EST requests go.
func (m *estMode) bootstrapEndpoint() (target, error) {
	bs, ok := bootstrapSecurity(m.c.model)
	if !ok {
		return target{}, &configError{errors.New("security mode 4 needs EST on the bootstrap server's endpoint, and the data model has no bootstrap account")}
	}
	t, err := resolveTarget(bs)
	if err != nil {
		return target{}, &configError{fmt.Errorf("bootstrap server for EST: %w", err)}
	}
	return t, nil
}

// refuseRequests answers whatever the EST server might ask on an EST
// connection: nothing is served there.
var refuseRequests = mux.HandlerFunc(func(w mux.ResponseWriter, _ *mux.Message) {
	_ = w.SetResponse(codes.NotFound, message.TextPlain, nil)
})

// connect opens an EST connection to t (DTLS with its certificate: RFC
// 9148 §3, the EST client authenticates with a certificate).
func (m *estMode) connect(ctx context.Context, t target) (*coapConn, *est.Client, error) {
	cn, err := m.c.openCoAP(ctx, t, refuseRequests)
	if err != nil {
		return nil, nil, err
	}
	cl := &est.Client{Conn: cn}
	if m.opts.Discovery {
		rctx, cancel := context.WithTimeout(ctx, m.c.opts.RequestTimeout)
		err := cl.Discover(rctx)
		cancel()
		if err != nil {
			cn.close()
			return nil, nil, err
		}
		m.log.Info("EST resources discovered", "root", cl.Root)
	}
	return cn, cl, nil
}

// enrollOnce is one attempt on one connection to the bootstrap endpoint.
func (m *estMode) enrollOnce(ctx context.Context) error {
	t, err := m.bootstrapEndpoint()
	if err != nil {
		return err
	}
	cn, cl, err := m.connect(ctx, t)
	if err != nil {
		return err
	}
	defer cn.close()
	if len(m.anchors()) == 0 {
		if err := m.fetchAnchors(ctx, cl); err != nil {
			return err
		}
	}
	if m.usable(m.c.opts.Now()) {
		return nil
	}
	p, err := m.pendingCSR()
	if err != nil {
		return err
	}
	certs, err := m.retryLater(ctx, "sen", func(rctx context.Context) ([]*x509.Certificate, error) { return cl.Enroll(rctx, p.csr) })
	if err != nil {
		return err
	}
	return m.install("sen", certs, p.key)
}

// fetchAnchors is /crts: its CA certificates become the explicit trust
// anchors (RFC 7030 §4.1.3; RFC 9148 §3: the new anchors are used for new
// DTLS connections).
func (m *estMode) fetchAnchors(ctx context.Context, cl *est.Client) error {
	rctx, cancel := context.WithTimeout(ctx, m.c.opts.RequestTimeout)
	certs, err := cl.CACerts(rctx)
	cancel()
	if err != nil {
		return fmt.Errorf("EST /crts refused: %w", err)
	}
	anchors, err := est.Anchors(certs)
	if err != nil {
		return fmt.Errorf("EST /crts refused: %w", err)
	}
	if err := m.update(func(s *est.State) { s.Anchors = anchors }); err != nil {
		return err
	}
	for _, a := range anchors {
		m.log.Info("EST /crts: trust anchor installed", "subject", a.Subject.String(), "serial", a.SerialNumber.Text(16))
	}
	return nil
}

// pendingCSR is the key and CSR of the enrollment in progress, made once:
// a retry after 5.03 resends the identical CSR.
func (m *estMode) pendingCSR() (*pendingEnroll, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending != nil {
		return m.pending, nil
	}
	key, err := m.enrollmentKey()
	if err != nil {
		return nil, err
	}
	csr, err := est.CSR(key, m.c.model.Endpoint())
	if err != nil {
		return nil, err
	}
	m.pending = &pendingEnroll{key: key, csr: csr}
	return m.pending, nil
}

// retryLater makes a request, and after each 5.03 waits its Max-Age and
// makes it again (RFC 9148 §4.7: "the client SHOULD resend the identical
// CSR").
func (m *estMode) retryLater(ctx context.Context, op string, do func(context.Context) ([]*x509.Certificate, error)) ([]*x509.Certificate, error) {
	for {
		rctx, cancel := context.WithTimeout(ctx, m.c.opts.RequestTimeout)
		certs, err := do(rctx)
		cancel()
		var rl *est.RetryLaterError
		if !errors.As(err, &rl) {
			if err != nil {
				return nil, fmt.Errorf("EST /%s refused: %w", op, err)
			}
			return certs, nil
		}
		m.log.Info("EST server asks to retry later: resending the identical CSR after Max-Age", "op", op, "max_age", rl.After)
		if err := sleepCtx(ctx, rl.After); err != nil {
			return nil, err
		}
	}
}

// install checks an enrollment answer and, if it passes, makes its
// certificate the client's own (seed 002: persisted at once).
func (m *estMode) install(op string, certs []*x509.Certificate, key *ecdsa.PrivateKey) error {
	now := m.c.opts.Now()
	cert, err := est.CheckIssued(certs, key.Public(), m.anchors(), now)
	if err != nil {
		return fmt.Errorf("EST /%s answer refused, nothing installed: %w", op, err)
	}
	if err := m.update(func(s *est.State) { s.Key, s.Cert, s.ProvisionedAt = key, cert, now }); err != nil {
		return err
	}
	m.mu.Lock()
	m.pending = nil
	m.mu.Unlock()
	m.log.Info("EST certificate installed", "op", op, "serial", cert.SerialNumber.Text(16), "subject", cert.Subject.String(),
		"not_after", cert.NotAfter.UTC().Format(time.RFC3339),
		"reenroll_at", m.policy.ReenrollAt(now, cert.NotAfter).UTC().Format(time.RFC3339Nano))
	return nil
}
