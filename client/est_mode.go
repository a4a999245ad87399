package client

import (
	"crypto/ecdsa"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/est"
	"github.com/lwm2m-conform/lwm2m-conform/client/keys"
)

// estMode is Security Mode 4, certificate mode with EST (LwM2M 1.1): the
// Server Public Key is provisioned, the client generates its key pair
// itself and has its certificate issued over EST-coaps (RFC 9148) by the
// bootstrap server's endpoint (seed 002 §10.3.2: "It is assumed that the
// same CoAP endpoint is used as both the LwM2M Bootstrap Server and the
// EST-coaps server"). The anchors from /crts are the trust store of the
// mode 4 connections (RFC 9148 §3).
type estMode struct {
	c      *Client
	log    *slog.Logger
	policy est.Policy
	opts   ESTOptions
	path   string // "" = the state lives in memory only

	mu      sync.Mutex
	st      est.State
	pending *pendingEnroll // a first enrollment in progress
}

// pendingEnroll is the key and CSR of an enrollment not yet answered: a
// 5.03 is followed by the identical CSR (RFC 9148 §4.7).
type pendingEnroll struct {
	key *ecdsa.PrivateKey
	csr []byte
}

func newESTMode(c *Client) (*estMode, error) {
	m := &estMode{c: c, log: c.log, opts: c.opts.EST, policy: c.opts.EST.policy(),
		path: c.opts.EST.stateFile(c.opts.StateFile)}
	if err := m.policy.Validate(); err != nil {
		return nil, err
	}
	if m.path == "" {
		return m, nil
	}
	st, err := est.Load(m.path)
	if err != nil {
		return nil, err
	}
	if st != nil {
		m.st = *st
		if st.Enrolled() {
			c.log.Info("restored EST state", "file", m.path, "serial", st.Cert.SerialNumber.Text(16),
				"not_after", st.Cert.NotAfter.UTC().Format(time.RFC3339), "anchors", len(st.Anchors))
		}
	}
	return m, nil
}

// state is a copy of the current state.
func (m *estMode) state() est.State {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.st
	st.Anchors = append([]*x509.Certificate(nil), st.Anchors...)
	return st
}

// update changes the state and persists it at once: EST state cannot be
// rolled back (seed 002 §10.3.3.2).
func (m *estMode) update(f func(*est.State)) error {
	m.mu.Lock()
	f(&m.st)
	st := m.st
	m.mu.Unlock()
	if m.path == "" {
		return nil
	}
	if err := est.Save(m.path, &st); err != nil {
		return fmt.Errorf("saving the EST state: %w", err)
	}
	return nil
}

// anchors are the /crts anchors, the trust store of mode 4 connections.
func (m *estMode) anchors() []*x509.Certificate { return m.state().Anchors }

// usable reports whether the state holds anchors and a certificate valid
// at now.
func (m *estMode) usable(now time.Time) bool {
	st := m.state()
	return len(st.Anchors) > 0 && st.Enrolled() && now.Before(st.Cert.NotAfter)
}

// credentials gives a mode 4 target the enrolled certificate and key, as
// /0/x/3 and /0/x/5 would in mode 2 (so the session key covers them).
func (m *estMode) credentials(t target) (target, error) {
	st := m.state()
	if !st.Enrolled() {
		return t, fmt.Errorf("security instance /0/%d: mode 4 (certificate with EST) and no certificate enrolled yet", t.sec.Instance)
	}
	der, err := keys.PKCS8(st.Key)
	if err != nil {
		return t, err
	}
	t.sec.PublicKeyOrIdentity, t.sec.SecretKey = st.Cert.Raw, der
	cert, _, err := clientCertificate(t.sec)
	if err != nil {
		return t, fmt.Errorf("security instance /0/%d: EST credentials: %w", t.sec.Instance, err)
	}
	t.cert = cert
	return t, nil
}

// trustFor is the trust store a connection judges its server with: the
// configured one, plus the /crts anchors for mode 4.
func (c *Client) trustFor(t target) []*x509.Certificate {
	if t.sec.Mode != modeCertEST {
		return c.opts.TrustStore
	}
	return append(append([]*x509.Certificate(nil), c.opts.TrustStore...), c.est.modeAnchors()...)
}

// needsEST reports whether an account uses mode 4.
func needsEST(accts []account) bool {
	for _, a := range accts {
		if a.t.sec.Mode == modeCertEST {
			return true
		}
	}
	return false
}
