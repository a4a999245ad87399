// Package keys reads the certificates and private keys an LwM2M client is
// provisioned with, in whatever encoding they arrive: DER or PEM, and for
// keys PKCS#8, SEC1 or PKCS#1.
package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// isPEM reports whether b starts (after blanks) like a PEM block.
func isPEM(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN "))
}

// ParseCertificate reads exactly one certificate, DER or PEM. A PEM input
// with several blocks yields its first CERTIFICATE.
func ParseCertificate(b []byte) (*x509.Certificate, error) {
	certs, err := ParseCertificates(b)
	if err != nil {
		return nil, err
	}
	return certs[0], nil
}

// ParseCertificates reads one DER certificate or a PEM bundle of
// CERTIFICATE blocks (other block types are skipped). At least one
// certificate is required.
func ParseCertificates(b []byte) ([]*x509.Certificate, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty input: no certificate")
	}
	if !isPEM(b) {
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, fmt.Errorf("not a PEM file and not a DER certificate: %w", err)
		}
		return []*x509.Certificate{c}, nil
	}
	var out []*x509.Certificate
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("PEM input holds no CERTIFICATE block")
	}
	return out, nil
}

// CertificateDER returns the DER bytes of one certificate given in DER or
// PEM, as the Security object stores it (/0/x/3, /0/x/4).
func CertificateDER(b []byte) ([]byte, error) {
	c, err := ParseCertificate(b)
	if err != nil {
		return nil, err
	}
	return c.Raw, nil
}

// ParsePrivateKey reads an ECDSA, RSA or Ed25519 private key in DER or
// PEM, encoded as PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE
// KEY"). The encoding is detected, not trusted from the PEM label.
func ParsePrivateKey(b []byte) (crypto.Signer, error) {
	der := b
	if isPEM(b) {
		var blk *pem.Block
		rest := b
		for {
			blk, rest = pem.Decode(rest)
			if blk == nil {
				return nil, errors.New("PEM input holds no PRIVATE KEY block")
			}
			if bytes.HasSuffix([]byte(blk.Type), []byte("PRIVATE KEY")) {
				break
			}
		}
		if len(blk.Headers) > 0 {
			return nil, fmt.Errorf("PEM %s block is encrypted or has headers; give an unencrypted key", blk.Type)
		}
		der = blk.Bytes
	}
	if len(der) == 0 {
		return nil, errors.New("empty input: no private key")
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return signer(k)
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not a PKCS#8, SEC1 or PKCS#1 private key")
}

func signer(k any) (crypto.Signer, error) {
	switch k := k.(type) {
	case *ecdsa.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	default:
		return nil, fmt.Errorf("unsupported private key type %T", k)
	}
}

// PKCS8 re-encodes a key as PKCS#8 DER, the form /0/x/5 holds.
func PKCS8(k crypto.Signer) ([]byte, error) {
	return x509.MarshalPKCS8PrivateKey(k)
}

// MatchesCertificate reports whether key is the private half of cert's
// public key: a mismatch is a classic provisioning error (seed 001
// §5.15.3.2) better reported before any handshake.
func MatchesCertificate(key crypto.Signer, cert *x509.Certificate) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	return ok && pub.Equal(cert.PublicKey)
}
