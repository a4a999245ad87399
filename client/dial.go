package client

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/pion/dtls/v2"
	dtlsnet "github.com/pion/dtls/v2/pkg/net"
)

// configError is a failure that retrying cannot fix (bad provisioning).
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

func isConfigError(err error) bool {
	var ce *configError
	return errors.As(err, &ce)
}

// dialDTLS resolves the server, runs one DTLS handshake bounded by
// HandshakeTimeout, logs it and reports it to OnHandshake.
func (c *Client) dialDTLS(ctx context.Context, t target) (*dtls.Conn, error) {
	if t.sec.Mode == modeCertEST {
		var err error
		if t, err = c.est.credentials(t); err != nil {
			return nil, err
		}
	}
	t.sni = c.sniFor(t)
	kind := suiteCert
	if t.sec.Mode == modePSK {
		kind = suitePSK
	}
	if n := len(t.sec.SecretKey); kind == suitePSK && c.opts.MaxPSKLen > 0 && n > c.opts.MaxPSKLen {
		return nil, fmt.Errorf("security instance /0/%d: the PSK is %d bytes, longer than the %d this client supports (like MBEDTLS_PSK_MAX_LEN): no handshake attempted", t.sec.Instance, n, c.opts.MaxPSKLen)
	}
	offer, dropped, err := selectSuites(t.sec.CipherSuites, kind, t.rsaKey)
	for _, d := range dropped {
		c.log.Warn("cipher suite from /0/x/16 left out of the ClientHello", "server", t.uri, "suite", fmt.Sprintf("0x%04X", d.ID), "name", suiteName(d.ID), "reason", d.Reason)
	}
	if err != nil {
		return nil, &configError{fmt.Errorf("security instance /0/%d: %w", t.sec.Instance, err)}
	}
	offer = c.withExtraSuite(offer, kind)
	if c.faults.has(FaultAcceptAny) {
		c.log.Warn("INSECURE MODE: EVERY SERVER CERTIFICATE WILL BE ACCEPTED (fault accept-any); this handshake proves nothing about server authentication", "server", t.uri)
	}

	check := &peerCheck{t: t, trust: c.trustFor(t), now: c.opts.Now, faults: c.faults}
	var store *handshakeSessions
	if !c.opts.DisableResumption && !c.faults.has(FaultNoResume) {
		store = c.sessions.forHandshake(c.sessionKey(t), check.validated)
	}
	cfg := c.dtlsConfig(t, offer, check, store)

	info := HandshakeInfo{Server: t.uri, SNI: t.sni, Offered: c.offered(offer)}
	start := time.Now()
	conn, sock, err := c.handshake(ctx, t, cfg, store)
	info.Duration = time.Since(start)
	if d, ok := check.result(); ok {
		info.Decision, info.Rule, info.Validated = d.Reason, d.Rule, check.validated()
	}
	if err != nil {
		info.Err = err
		c.reportHandshake(info)
		return nil, err
	}
	facts, ferr := factsOf(conn)
	if ferr != nil {
		_ = conn.Close()
		info.Err = ferr
		c.reportHandshake(info)
		return nil, ferr
	}
	info.CipherSuiteID = facts.CipherSuiteID
	info.CipherSuite = suiteName(facts.CipherSuiteID)
	if len(facts.RemoteConnectionID) > 0 {
		info.CID = facts.RemoteConnectionID
	}
	if store != nil {
		if s, ok := store.resumed(facts.SessionID); ok {
			info.Resumed = true
			info.Validated = s.Validated && c.faults.verifierFaults() == ""
			info.Rule = "resumed"
			info.Decision = "resumed session: no certificate in an abbreviated handshake; the server was judged when the session was created"
		}
	}
	if t.sec.Mode == modePSK {
		// The PSK itself authenticates the server.
		info.Validated, info.Rule, info.Decision = true, "psk", "server authenticated by the pre-shared key"
	}
	c.reportHandshake(info)
	if c.faults.has(FaultCrash) {
		return nil, c.crash(t, conn, sock)
	}
	return conn, nil
}

// handshake dials UDP and runs the DTLS client handshake; cancelling ctx or
// reaching HandshakeTimeout aborts it at once. It also returns the socket.
// With a session store the socket goes through a flightGate (see there);
// wire faults wrap it too (faultConn).
func (c *Client) handshake(ctx context.Context, t target, cfg *dtls.Config, store *handshakeSessions) (*dtls.Conn, net.Conn, error) {
	hctx, cancel := context.WithTimeout(ctx, c.opts.HandshakeTimeout)
	defer cancel()
	var d net.Dialer
	udp, err := d.DialContext(hctx, "udp", t.address)
	if err != nil {
		return nil, nil, fmt.Errorf("dial %s: %w", t.address, err)
	}
	pc := c.wrapFaults(dtlsnet.PacketConnFromConn(udp), t.sni)
	if store != nil {
		pc = newFlightGate(pc, store.offeredID)
	}
	conn, err := dtls.ClientWithContext(hctx, pc, udp.RemoteAddr(), cfg)
	if err != nil {
		_ = udp.Close()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if hctx.Err() != nil {
			return nil, nil, fmt.Errorf("DTLS handshake with %s timed out after %s", t.address, c.opts.HandshakeTimeout)
		}
		return nil, nil, fmt.Errorf("DTLS handshake with %s: %w", t.address, err)
	}
	return conn, udp, nil
}

// dtlsConfig builds the pion configuration for one handshake.
func (c *Client) dtlsConfig(t target, offer []uint16, check *peerCheck, store *handshakeSessions) *dtls.Config {
	timeout := c.opts.HandshakeTimeout
	cfg := &dtls.Config{
		// pion's own check knows no Certificate Usage: package verify
		// decides in VerifyPeerCertificate.
		InsecureSkipVerify:    true,
		VerifyPeerCertificate: check.verifyPeer,
		CipherSuites:          toPionSuites(offer),
		ServerName:            t.sni, // pion drops IP literals: no SNI
		FlightInterval:        c.opts.FlightInterval,
		KeyLogWriter:          c.opts.KeyLogWriter,
		LoggerFactory:         pionLogs{c.log},
		ExtendedMasterSecret:  dtls.RequestExtendedMasterSecret,
		ConnectContextMaker: func() (context.Context, func()) {
			return context.WithTimeout(context.Background(), timeout)
		},
	}
	if store != nil {
		cfg.SessionStore = store
	}
	if c.opts.ConnectionID && !c.faults.has(FaultNoCID) {
		cfg.ConnectionIDGenerator = dtls.OnlySendCIDGenerator()
	}
	if c.faults.has(FaultWeakSuite) {
		cfg.CustomCipherSuites = func() []dtls.CipherSuite { return []dtls.CipherSuite{nullSuite{}} }
	}
	switch t.sec.Mode {
	case modePSK:
		key := append([]byte(nil), t.sec.SecretKey...)
		cfg.PSK = func([]byte) ([]byte, error) { return key, nil }
		cfg.PSKIdentityHint = append([]byte(nil), t.sec.PublicKeyOrIdentity...)
	case modeCert, modeCertEST:
		cfg.Certificates = append(cfg.Certificates, *t.cert)
	}
	return cfg
}

// sessionKey names the resumable session of a server: the URI plus a digest
// of everything that decides whether the server is acceptable. A session
// created under other credentials, another trust store or certificate usage
// must not be resumed, since an abbreviated handshake skips the check.
func (c *Client) sessionKey(t target) string {
	h := sha256.New()
	field := func(b []byte) { // length-prefixed, so fields cannot run together
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
		h.Write(b)
	}
	s := t.sec
	field([]byte{byte(s.Mode)})
	field(s.PublicKeyOrIdentity)
	field(s.SecretKey)
	field(s.ServerPublicKey)
	field([]byte(t.refName))
	usage := -1
	if s.CertUsage != nil {
		usage = *s.CertUsage
	}
	field([]byte(fmt.Sprint(usage)))
	for _, ts := range c.trustFor(t) {
		field(ts.Raw)
	}
	if v := c.faults.verifierFaults(); v != "" {
		field([]byte(v)) // a session judged by a broken verifier stays with it
	}
	return t.uri + "#" + hex.EncodeToString(h.Sum(nil)[:8])
}
