package certgen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// generateKey makes a fresh private key of a spec key type.
func generateKey(keyType string) (crypto.Signer, error) {
	switch keyType {
	case "p256":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "ed25519":
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case "rsa2048":
		return rsa.GenerateKey(rand.Reader, 2048)
	}
	return nil, fmt.Errorf("unknown key type %q", keyType)
}

// signatureAlgorithm is the algorithm an issuer with this key signs with:
// the hash follows the curve size, RSA uses PKCS#1 v1.5 with SHA-256.
func signatureAlgorithm(issuerKey crypto.Signer) (x509.SignatureAlgorithm, error) {
	switch k := issuerKey.(type) {
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			return x509.ECDSAWithSHA256, nil
		case elliptic.P384():
			return x509.ECDSAWithSHA384, nil
		}
	case ed25519.PrivateKey:
		return x509.PureEd25519, nil
	case *rsa.PrivateKey:
		return x509.SHA256WithRSA, nil
	}
	return x509.UnknownSignatureAlgorithm, fmt.Errorf("unsupported issuer key %T", issuerKey)
}

// subjectKeyID is RFC 5280 section 4.2.1.2 method 1: SHA-1 of the
// subjectPublicKey BIT STRING, the same value OpenSSL computes.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}
