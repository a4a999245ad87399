package client

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/est"
	"github.com/lwm2m-conform/lwm2m-conform/client/keys"
)

// renewInBackground re-enrols (/sren) whenever the certificate is due
// (seed 002 §10.3.2: "the /est/sren request is issued automatically when
// the certificate is nearing expiration"), until ctx ends or stop is
// called. It does nothing without a mode 4 account.
func (m *estMode) renewInBackground(ctx context.Context, accts []account) (stop func()) {
	if !needsEST(accts) {
		return func() {}
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.renewLoop(rctx)
	}()
	return func() { cancel(); <-done }
}

func (m *estMode) renewLoop(ctx context.Context) {
	for {
		st := m.state()
		if !st.Enrolled() {
			return
		}
		due := m.policy.ReenrollAt(st.ProvisionedAt, st.Cert.NotAfter)
		m.log.Info("EST re-enrollment scheduled", "serial", st.Cert.SerialNumber.Text(16), "at", due.UTC().Format(time.RFC3339Nano))
		if sleepCtx(ctx, time.Until(due)) != nil {
			return
		}
		bo := newBackoff(m.c.opts.RetryBase, m.c.opts.RetryMax)
		for {
			err := m.renewOnce(ctx)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return
			}
			d := bo.next()
			m.log.Warn("EST re-enrollment failed, retrying", "error", err, "retry_in", d)
			if sleepCtx(ctx, d) != nil {
				return
			}
		}
	}
}

// renewOnce is one /sren on the bootstrap endpoint, authenticated with the
// certificate being renewed (RFC 7030 §3.3.2), for a new key with the
// same Subject and subjectAltName (RFC 7030 §4.2.2; the key may change).
func (m *estMode) renewOnce(ctx context.Context) error {
	st := m.state()
	bs, err := m.bootstrapEndpoint()
	if err != nil {
		return err
	}
	sec := bs.sec
	sec.Mode = modeCert
	if sec.SecretKey, err = keys.PKCS8(st.Key); err != nil {
		return err
	}
	sec.PublicKeyOrIdentity = st.Cert.Raw
	t, err := resolveTarget(sec)
	if err != nil {
		return fmt.Errorf("EST /sren with the enrolled certificate: %w", err)
	}
	key, err := est.NewKey()
	if err != nil {
		return err
	}
	csr, err := m.renewalCSR(key, st.Cert)
	if err != nil {
		return err
	}
	cn, cl, err := m.connect(ctx, t)
	if err != nil {
		return err
	}
	defer cn.close()
	certs, err := m.retryLater(ctx, "sren", func(rctx context.Context) ([]*x509.Certificate, error) { return cl.Reenroll(rctx, csr) })
	if err != nil {
		return err
	}
	return m.install("sren", certs, key)
}
