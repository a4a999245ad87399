package est

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// caLifetime is how long a case CA and the server certificates it issues
// live: far longer than any case.
const caLifetime = 24 * time.Hour

// CA is a certification authority made for one case: a P-256 root that
// signs the certificates the EST server issues and the LwM2M server's own
// certificate, so that the root (the /crts answer) is the one anchor both
// chain to.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	now  func() time.Time
}

// NewCA makes a root CA named cn. now is the clock of every certificate
// it issues; nil means time.Now.
func NewCA(cn string, now func() time.Time) (*CA, error) {
	if cn == "" {
		return nil, errors.New("est: CA needs a name")
	}
	if now == nil {
		now = time.Now
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("est: CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	start := now().Add(-time.Minute).Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"lwm2m-conform"}},
		NotBefore:             start,
		NotAfter:              start.Add(caLifetime),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("est: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key, now: now}, nil
}

// IssueClient signs a client certificate for pub with the CSR's subject and
// subjectAltNames, valid from now for validity (whole seconds: X.509 times
// have no finer grain). notBefore is not backdated, so a client's
// re-enrollment timer can be checked against it.
func (ca *CA) IssueClient(csr *x509.CertificateRequest, pub crypto.PublicKey, validity time.Duration) (*x509.Certificate, error) {
	if validity < time.Second {
		return nil, fmt.Errorf("est: validity %s is shorter than a second", validity)
	}
	start := ca.now().Truncate(time.Second)
	return ca.sign(clientTemplate(csr, start, start.Add(validity)), pub)
}

// IssueClientWindow is IssueClient with an explicit validity window (an
// expired certificate, for a negative case).
func (ca *CA) IssueClientWindow(csr *x509.CertificateRequest, pub crypto.PublicKey, notBefore, notAfter time.Time) (*x509.Certificate, error) {
	if !notAfter.After(notBefore) {
		return nil, errors.New("est: notAfter must be after notBefore")
	}
	return ca.sign(clientTemplate(csr, notBefore, notAfter), pub)
}

func clientTemplate(csr *x509.CertificateRequest, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		RawSubject:     csr.RawSubject,
		DNSNames:       csr.DNSNames,
		IPAddresses:    csr.IPAddresses,
		URIs:           csr.URIs,
		EmailAddresses: csr.EmailAddresses,
		NotBefore:      notBefore,
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
}

// IssueServer makes a server certificate for host (a DNS name) with a fresh
// P-256 key: the LwM2M server's identity in an EST case, chaining to this
// CA only.
func (ca *CA) IssueServer(host string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	start := ca.now().Add(-time.Minute).Truncate(time.Second)
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: host, Organization: []string{"lwm2m-conform"}},
		DNSNames:    []string{host},
		NotBefore:   start,
		NotAfter:    start.Add(caLifetime),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	cert, err := ca.sign(tmpl, key.Public())
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}, nil
}

func (ca *CA) sign(tmpl *x509.Certificate, pub crypto.PublicKey) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("est: issuing: %w", err)
	}
	return x509.ParseCertificate(der)
}

// randomSerial is a positive 127-bit serial number.
func randomSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("est: serial: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}
