package client

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// testCert is a certificate with its key.
type testCert struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func (c testCert) tls() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.cert.Raw}, PrivateKey: c.key, Leaf: c.cert}
}

func (c testCert) pkcs8(t *testing.T) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

type certSpec struct {
	cn     string
	ca     bool
	dns    []string
	ips    []net.IP
	client bool // client auth EKU instead of server auth
}

// issueCert signs spec with parent (self-signed when parent is nil).
func issueCert(t *testing.T, s certSpec, parent *testCert) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: s.cn},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  s.ca,
		DNSNames:              s.dns,
		IPAddresses:           s.ips,
	}
	switch {
	case s.ca:
		tmpl.KeyUsage = x509.KeyUsageCertSign
	case s.client:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	default:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	signer, signerCert := key, tmpl
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCert{cert: c, key: key}
}

// testPKI is one CA with a server leaf (SAN localhost, 127.0.0.1) and a
// client leaf.
type testPKI struct {
	ca, server, client testCert
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	ca := issueCert(t, certSpec{cn: "test CA", ca: true}, nil)
	return testPKI{
		ca:     ca,
		server: issueCert(t, certSpec{cn: "localhost", dns: []string{"localhost", "lwm2m.example.test"}, ips: []net.IP{net.IPv4(127, 0, 0, 1)}}, &ca),
		client: issueCert(t, certSpec{cn: "client-ep", client: true}, &ca),
	}
}

func trustOf(p testPKI) []*x509.Certificate { return []*x509.Certificate{p.ca.cert} }
