package provision

import (
	"crypto/x509"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/client/verify"
)

// Provisioned is the outcome of Build.
type Provisioned struct {
	Model      *model.Model
	TrustStore []*x509.Certificate
	Mode       string // psk, cert or nosec, after inference
}

// Build checks the settings and provisions a data model: with Bootstrap,
// one bootstrap Security instance (/0/0); otherwise a factory-bootstrapped
// server account, Security /0/0 and Server /1/0 with Short Server ID SSID.
// Every error is a *FieldError.
func Build(s Settings) (*Provisioned, error) {
	if s.Endpoint == "" {
		return nil, fieldErr("endpoint", "an endpoint name is required")
	}
	switch s.LwM2MVersion {
	case "1.0", "1.1":
	default:
		return nil, fieldErr("lwm2m-version", "%q is not 1.0 or 1.1", s.LwM2MVersion)
	}
	u, err := url.Parse(s.Server)
	switch {
	case s.Server == "":
		return nil, fieldErr("server", "a server URI is required (coap://HOST:PORT or coaps://HOST:PORT)")
	case err != nil:
		return nil, fieldErr("server", "%v", err)
	case u.Scheme != "coap" && u.Scheme != "coaps":
		return nil, fieldErr("server", "%q: scheme must be coap or coaps", s.Server)
	case u.Hostname() == "":
		return nil, fieldErr("server", "%q has no host", s.Server)
	}
	if s.Lifetime < time.Second || s.Lifetime%time.Second != 0 {
		return nil, fieldErr("lifetime", "%s: want whole seconds, at least 1s", s.Lifetime)
	}
	if !s.Bootstrap && (s.SSID < 1 || s.SSID > 65534) {
		return nil, fieldErr("ssid", "%d is not 1..65534", s.SSID)
	}
	if s.HandshakeTimeout <= 0 {
		return nil, fieldErr("handshake-timeout", "%s: must be positive", s.HandshakeTimeout)
	}
	if s.RequestTimeout <= 0 {
		return nil, fieldErr("request-timeout", "%s: must be positive", s.RequestTimeout)
	}
	if s.FlightInterval <= 0 {
		return nil, fieldErr("flight-interval", "%s: must be positive", s.FlightInterval)
	}
	mode, err := inferMode(s, u.Scheme)
	if err != nil {
		return nil, err
	}
	sec := model.Security{Instance: 0, URI: s.Server, Bootstrap: s.Bootstrap, SNI: s.SNI}
	if !s.Bootstrap {
		sec.ShortServerID = uint16(s.SSID)
	}
	if err := credentials(s, mode, &sec); err != nil {
		return nil, err
	}
	if s.CipherSuites != "" {
		ids, err := parseSuites(s.CipherSuites)
		if err != nil {
			return nil, err
		}
		sec.CipherSuites = ids
	}
	if s.CertUsage != "" {
		u, err := verify.ParseUsage(s.CertUsage)
		if err != nil {
			return nil, fieldErr("cert-usage", "%v", err)
		}
		if u != verify.Unset {
			n := int(u)
			sec.CertUsage = &n
		}
	}
	var trust []*x509.Certificate
	if s.TrustStore != "" {
		if trust, err = ReadTrustStore(s.TrustStore); err != nil {
			return nil, err
		}
	}
	m := model.New(s.Endpoint, s.LwM2MVersion)
	if err := m.PutSecurity(sec); err != nil {
		return nil, fieldErr("server", "%v", err)
	}
	if !s.Bootstrap {
		if err := m.PutServer(model.Server{Instance: 0, ShortServerID: uint16(s.SSID), Lifetime: s.Lifetime, Binding: "U"}); err != nil {
			return nil, fieldErr("ssid", "%v", err)
		}
	}
	return &Provisioned{Model: m, TrustStore: trust, Mode: mode}, nil
}

// inferMode takes --mode, else guesses from the credentials given and the
// URI scheme; the scheme must agree with the mode.
func inferMode(s Settings, scheme string) (string, error) {
	mode := strings.ToLower(s.Mode)
	if mode == "" {
		switch {
		case scheme == "coap":
			mode = "nosec"
		case s.PSKIdentity != "" || s.PSKKey != "":
			mode = "psk"
		case s.Cert != "" || s.Key != "":
			mode = "cert"
		default:
			return "", fieldErr("mode", "cannot tell the security mode of %s: give --mode psk|cert or the credentials", s.Server)
		}
	}
	switch mode {
	case "psk", "cert":
		if scheme != "coaps" {
			return "", fieldErr("server", "%q: mode %s needs a coaps:// URI", s.Server, mode)
		}
	case "nosec":
		if scheme != "coap" {
			return "", fieldErr("server", "%q: mode nosec needs a coap:// URI", s.Server)
		}
	default:
		return "", fieldErr("mode", "%q is not psk, cert or nosec", s.Mode)
	}
	return mode, nil
}

// credentials fills the Security instance's mode and keys.
func credentials(s Settings, mode string, sec *model.Security) error {
	switch mode {
	case "nosec":
		sec.Mode = model.ModeNoSec
	case "psk":
		sec.Mode = model.ModePSK
		if s.PSKIdentity == "" {
			return fieldErr("psk-identity", "PSK mode needs a PSK identity")
		}
		key, err := hex.DecodeString(strings.TrimPrefix(s.PSKKey, "0x"))
		if err != nil {
			return fieldErr("psk-key", "not hexadecimal: %v", err)
		}
		if len(key) == 0 {
			return fieldErr("psk-key", "PSK mode needs a PSK key (hex)")
		}
		sec.PublicKeyOrIdentity, sec.SecretKey = []byte(s.PSKIdentity), key
	case "cert":
		sec.Mode = model.ModeCertificate
		if s.Cert == "" {
			return fieldErr("cert", "certificate mode needs the client certificate file")
		}
		if s.Key == "" {
			return fieldErr("key", "certificate mode needs the client private key file")
		}
		var err error
		if sec.PublicKeyOrIdentity, err = readCertificate("cert", s.Cert); err != nil {
			return err
		}
		if sec.SecretKey, err = readPrivateKey("key", s.Key); err != nil {
			return err
		}
	}
	if s.ServerCert != "" {
		spk, err := readCertificate("server-cert", s.ServerCert)
		if err != nil {
			return err
		}
		sec.ServerPublicKey = spk
	}
	return nil
}

// parseSuites reads "0xC0A8,0xC02B" (hex with 0x, or decimal).
func parseSuites(list string) ([]uint16, error) {
	var out []uint16
	for _, part := range strings.Split(list, ",") {
		p := strings.TrimSpace(part)
		if p == "" {
			continue
		}
		n, err := strconv.ParseUint(p, 0, 16)
		if err != nil {
			return nil, fieldErr("ciphersuites", "%q is not a 16-bit cipher suite number (e.g. 0xC0A8)", p)
		}
		out = append(out, uint16(n))
	}
	if len(out) == 0 {
		return nil, fieldErr("ciphersuites", "empty list")
	}
	return out, nil
}
