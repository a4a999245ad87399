package certgen

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
)

// Cert is one materialised certificate with its private key.
type Cert struct {
	World, Name, Kind, Role string
	KeyType                 string // spec key type: p256, p384, ed25519, rsa2048
	X509                    *x509.Certificate
	DER                     []byte
	Key                     crypto.Signer
	KeyPKCS8                []byte // DER PKCS#8
	Issuer                  *Cert  // nil for root and self-signed
	// Chain is this certificate then its issuers up to, but excluding, the
	// root. A root or self-signed certificate's chain is just itself.
	Chain []*Cert
	Root  *Cert // top of the chain (itself for root and self-signed)
}

// Ref is the "world/name" reference of the certificate.
func (c *Cert) Ref() string { return c.World + "/" + c.Name }

// PEM is the certificate alone in PEM.
func (c *Cert) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.DER})
}

// KeyPEM is the private key as PKCS#8 PEM ("PRIVATE KEY").
func (c *Cert) KeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: c.KeyPKCS8})
}

// fullChain is Chain followed by the root unless the chain already ends there.
func (c *Cert) fullChain() []*Cert {
	if c.Chain[len(c.Chain)-1] == c.Root {
		return c.Chain
	}
	return append(append([]*Cert(nil), c.Chain...), c.Root)
}

// TLSCertificate is the certificate as a TLS/DTLS credential presenting the
// leaf and intermediates, and the root too when withRoot is set.
func (c *Cert) TLSCertificate(withRoot bool) tls.Certificate {
	chain := c.Chain
	if withRoot {
		chain = c.fullChain()
	}
	out := tls.Certificate{PrivateKey: c.Key, Leaf: c.X509}
	for _, cc := range chain {
		out.Certificate = append(out.Certificate, cc.DER)
	}
	return out
}

func pemBundle(certs []*Cert) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, c.PEM()...)
	}
	return out
}
