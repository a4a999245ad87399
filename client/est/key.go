package est

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
)

// NewKey makes the client's own key pair, on the device: P-256 (the
// LwM2M and OCF profile curve, seed 003/004), never leaving it.
func NewKey() (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("EST key pair: %w", err)
	}
	return k, nil
}

// CSR is a PKCS#10 request signed with ECDSA-SHA256: subject CN = the
// endpoint name for a first enrollment.
func CSR(key crypto.Signer, endpoint string) ([]byte, error) {
	return csr(key, &x509.CertificateRequest{Subject: pkix.Name{CommonName: endpoint}})
}

// RenewalCSR requests the renewal of cur: the same Subject and
// subjectAltName (RFC 7030 §4.2.2: "the Subject field and SubjectAltName
// extension MUST be identical to the corresponding fields in the
// certificate being renewed"), for key.
func RenewalCSR(key crypto.Signer, cur *x509.Certificate) ([]byte, error) {
	return csr(key, &x509.CertificateRequest{
		RawSubject:     cur.RawSubject,
		DNSNames:       cur.DNSNames,
		IPAddresses:    cur.IPAddresses,
		URIs:           cur.URIs,
		EmailAddresses: cur.EmailAddresses,
	})
}

func csr(key crypto.Signer, tmpl *x509.CertificateRequest) ([]byte, error) {
	tmpl.SignatureAlgorithm = x509.ECDSAWithSHA256
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return nil, fmt.Errorf("CSR: %w", err)
	}
	return der, nil
}
