package client

import (
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/lwm2m-conform/lwm2m-conform/client/keys"
	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// Security modes (/0/x/2), short names for the model's constants.
const (
	modePSK     = model.ModePSK
	modeRPK     = model.ModeRPK
	modeCert    = model.ModeCertificate
	modeNoSec   = model.ModeNoSec
	modeCertEST = model.ModeCertEST
)

// ErrUnsupportedMode is wrapped by the error for a mode this client cannot
// speak (raw public key).
var ErrUnsupportedMode = errors.New("unsupported security mode")

// checkMode rejects the modes pion/dtls or this client cannot serve, in one
// clear line.
func checkMode(mode int) error {
	switch mode {
	case modePSK, modeCert, modeNoSec, modeCertEST: // mode 4: est_mode.go
		return nil
	case modeRPK:
		return fmt.Errorf("security mode 1 (raw public key) is not supported: %w", ErrUnsupportedMode)
	default:
		return fmt.Errorf("security mode %d is unknown: %w", mode, ErrUnsupportedMode)
	}
}

// target is a Security instance resolved into what a connection needs.
type target struct {
	sec     model.Security
	uri     string // as provisioned, the key for sessions and logs
	host    string // from the URI, without brackets; may be an IP literal
	address string // host:port to dial
	// sni is the SNI to send: /0/x/14 when set, else the URI host; "" when
	// that is an IP literal (RFC 6066 §3 forbids IP literals in SNI).
	sni string
	// refName is the reference identity the certificate is checked
	// against: /0/x/14 when set, else the URI host (IP literals included).
	refName string
	cert    *tls.Certificate // certificate mode: the client's own
	rsaKey  bool
}

// secure reports whether the account uses DTLS.
func (t target) secure() bool { return t.sec.Mode != modeNoSec }

// resolveTarget checks a Security instance and derives the connection
// parameters; every failure names the instance and what is wrong.
func resolveTarget(s model.Security) (target, error) {
	fail := func(format string, a ...any) (target, error) {
		return target{}, fmt.Errorf("security instance /0/%d: %s", s.Instance, fmt.Sprintf(format, a...))
	}
	if err := checkMode(s.Mode); err != nil {
		return target{}, fmt.Errorf("security instance /0/%d: %w", s.Instance, err)
	}
	u, err := url.Parse(s.URI)
	if err != nil {
		return fail("server URI %q: %v", s.URI, err)
	}
	var defPort string
	switch u.Scheme {
	case "coap":
		if s.Mode != modeNoSec {
			return fail("server URI %q uses coap:// but the security mode is %d; a DTLS mode needs coaps://", s.URI, s.Mode)
		}
		defPort = "5683"
	case "coaps":
		if s.Mode == modeNoSec {
			return fail("server URI %q uses coaps:// but the security mode is 3 (NoSec); NoSec needs coap://", s.URI)
		}
		defPort = "5684"
	default:
		return fail("server URI %q: scheme must be coap or coaps (only CoAP over UDP is supported)", s.URI)
	}
	host := u.Hostname()
	if host == "" {
		return fail("server URI %q has no host", s.URI)
	}
	port := u.Port()
	if port == "" {
		port = defPort
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return fail("server URI %q: bad port %q", s.URI, port)
	}
	t := target{sec: s, uri: s.URI, host: host, address: net.JoinHostPort(host, port)}
	t.refName = host
	if s.SNI != "" {
		t.refName = s.SNI
	}
	if net.ParseIP(t.refName) == nil {
		t.sni = t.refName
	}
	switch s.Mode {
	case modePSK:
		if len(s.PublicKeyOrIdentity) == 0 {
			return fail("PSK mode needs a PSK identity in /0/%d/3", s.Instance)
		}
		if len(s.SecretKey) == 0 {
			return fail("PSK mode needs a PSK key in /0/%d/5", s.Instance)
		}
	case modeCert:
		cert, isRSA, err := clientCertificate(s)
		if err != nil {
			return fail("%v", err)
		}
		t.cert, t.rsaKey = cert, isRSA
	}
	return t, nil
}

// clientCertificate builds the client's own certificate from /0/x/3 (DER,
// PEM tolerated) and /0/x/5 (PKCS#8, SEC1 or PKCS#1).
func clientCertificate(s model.Security) (*tls.Certificate, bool, error) {
	if len(s.PublicKeyOrIdentity) == 0 {
		return nil, false, fmt.Errorf("certificate mode needs the client certificate in /0/%d/3", s.Instance)
	}
	if len(s.SecretKey) == 0 {
		return nil, false, fmt.Errorf("certificate mode needs the client private key in /0/%d/5", s.Instance)
	}
	c, err := keys.ParseCertificate(s.PublicKeyOrIdentity)
	if err != nil {
		return nil, false, fmt.Errorf("client certificate /0/%d/3: %v", s.Instance, err)
	}
	k, err := keys.ParsePrivateKey(s.SecretKey)
	if err != nil {
		return nil, false, fmt.Errorf("client private key /0/%d/5: %v", s.Instance, err)
	}
	if !keys.MatchesCertificate(k, c) {
		return nil, false, fmt.Errorf("client private key /0/%d/5 does not match the certificate in /0/%d/3", s.Instance, s.Instance)
	}
	_, isRSA := k.(*rsa.PrivateKey)
	return &tls.Certificate{Certificate: [][]byte{c.Raw}, PrivateKey: k, Leaf: c}, isRSA, nil
}
