package servers

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"github.com/pion/dtls/v2"
)

// certificateSuites are the certificate suites pion implements, LwM2M's
// mandatory TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 first.
var certificateSuites = []dtls.CipherSuiteID{
	dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
	dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM,
	dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	dtls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	dtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	dtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	dtls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
}

// pskSuites are the PSK suites pion implements, LwM2M's mandatory
// TLS_PSK_WITH_AES_128_CCM_8 first. pion has no PSK defaults of its own.
var pskSuites = []dtls.CipherSuiteID{
	dtls.TLS_PSK_WITH_AES_128_CCM_8,
	dtls.TLS_PSK_WITH_AES_128_CCM,
	dtls.TLS_PSK_WITH_AES_256_CCM_8,
	dtls.TLS_PSK_WITH_AES_128_GCM_SHA256,
	dtls.TLS_PSK_WITH_AES_128_CBC_SHA256,
	dtls.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
}

// DefaultCipherSuites are the suites a server accepts when DTLS.CipherSuites
// is nil.
func DefaultCipherSuites(certificate, psk bool) []dtls.CipherSuiteID {
	var out []dtls.CipherSuiteID
	if certificate {
		out = append(out, certificateSuites...)
	}
	if psk {
		out = append(out, pskSuites...)
	}
	return out
}

// pionConfig builds the shared part of the server configuration; the PSK
// callback is set per session so the identity lands in that session's events.
func (d *DTLS) pionConfig(logger *slog.Logger) (*dtls.Config, error) {
	cfg := &dtls.Config{
		CipherSuites:         d.CipherSuites,
		PSKIdentityHint:      d.PSKIdentityHint,
		KeyLogWriter:         d.KeyLogWriter,
		FlightInterval:       d.FlightInterval,
		ExtendedMasterSecret: dtls.RequestExtendedMasterSecret,
		LoggerFactory:        pionLoggerFactory{logger: logger},
	}
	if cfg.CipherSuites == nil {
		cfg.CipherSuites = DefaultCipherSuites(d.Certificate != nil, d.PSK != nil)
	}
	if d.Certificate != nil {
		cfg.Certificates = []tls.Certificate{*d.Certificate}
	}
	if d.PSK != nil {
		// Set here only so validation sees a PSK server; replaced per session.
		cfg.PSK = func([]byte) ([]byte, error) { return nil, fmt.Errorf("no session") }
	}
	switch {
	case d.ClientCAs != nil:
		cfg.ClientAuth = dtls.RequireAndVerifyClientCert
		cfg.ClientCAs = d.ClientCAs
	case d.RequireClientCert:
		cfg.ClientAuth = dtls.RequireAnyClientCert
	}
	if d.ConnectionID {
		cfg.ConnectionIDGenerator = dtls.RandomCIDGenerator(ConnectionIDLength)
	}
	if d.SessionResumption {
		cfg.SessionStore = newMemorySessionStore()
	}
	// Let pion check the suites against the credentials now, so a bad case
	// setup fails at start rather than at the first handshake. NewListener
	// only validates; the listener it returns is never used.
	if _, err := dtls.NewListener(nopPacketListener{}, cfg); err != nil {
		return nil, fmt.Errorf("servers: DTLS configuration: %w", err)
	}
	return cfg, nil
}

// sessionConfig is cfg with a PSK callback that records the identity the
// client presented on this session, and the PSK hint for its ClientHello.
func (d *DTLS) sessionConfig(base *dtls.Config, s *sessionConn) *dtls.Config {
	cfg := *base
	w := s.wire
	if d.PSK != nil {
		cfg.PSKIdentityHint = pskHint(base.PSKIdentityHint, base.CipherSuites, s.hello)
		psk := d.PSK
		cfg.PSK = func(identity []byte) ([]byte, error) {
			w.setPSKIdentity(string(identity))
			key, ok := psk[string(identity)]
			if !ok {
				return nil, fmt.Errorf("unknown PSK identity %q", identity)
			}
			return key, nil
		}
	}
	return &cfg
}

// memorySessionStore keeps resumable sessions for the server's lifetime.
type memorySessionStore struct {
	mu       sync.Mutex
	sessions map[string]dtls.Session
}

func newMemorySessionStore() *memorySessionStore {
	return &memorySessionStore{sessions: map[string]dtls.Session{}}
}

func (m *memorySessionStore) Set(key []byte, s dtls.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[string(key)] = s
	return nil
}

// Get returns the zero Session for an unknown key, which pion reads as
// "no session: full handshake".
func (m *memorySessionStore) Get(key []byte) (dtls.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessions[string(key)], nil
}

func (m *memorySessionStore) Del(key []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, string(key))
	return nil
}

// nopPacketListener exists so dtls.NewListener can validate a configuration.
type nopPacketListener struct{}

func (nopPacketListener) Accept() (net.PacketConn, net.Addr, error) { return nil, nil, net.ErrClosed }
func (nopPacketListener) Close() error                              { return nil }
func (nopPacketListener) Addr() net.Addr                            { return &net.UDPAddr{} }
