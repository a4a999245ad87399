package verify

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

var pemBegin = []byte("-----BEGIN")

// ParseServerPublicKey reads the Server Public Key resource (/0/x/4) as one
// X.509 certificate, in DER or in PEM (a single "CERTIFICATE" block; text
// around the block is ignored). Anything else is an error saying why.
func ParseServerPublicKey(b []byte) (*x509.Certificate, error) {
	if len(b) == 0 {
		return nil, errors.New("server public key is empty")
	}
	// DER first: a DER certificate may contain "-----BEGIN" in a name.
	cert, derErr := x509.ParseCertificate(b)
	if derErr == nil {
		return cert, nil
	}
	if !bytes.Contains(b, pemBegin) {
		return nil, fmt.Errorf("server public key is neither a DER certificate (%v) nor PEM (no -----BEGIN line)", derErr)
	}
	der, err := singlePEMCertificate(b)
	if err != nil {
		return nil, fmt.Errorf("server public key: %w", err)
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("server public key: PEM CERTIFICATE block does not hold a certificate: %v", err)
	}
	return cert, nil
}

// singlePEMCertificate returns the DER of the only PEM block in b, which must
// be of type CERTIFICATE. Several blocks are refused: the resource names one
// certificate, and silently picking one of several would hide a provisioning
// mistake.
func singlePEMCertificate(b []byte) ([]byte, error) {
	var der []byte
	blocks := 0
	for rest := b; ; {
		block, next := pem.Decode(rest)
		if block == nil {
			break
		}
		blocks++
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %d is of type %q, want CERTIFICATE", blocks, block.Type)
		}
		der = block.Bytes
		rest = next
	}
	switch blocks {
	case 0:
		return nil, errors.New("has a -----BEGIN line but no well-formed PEM block")
	case 1:
		return der, nil
	}
	return nil, fmt.Errorf("holds %d PEM certificates, want exactly one", blocks)
}
