package verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

// testNow is the instant every test verifies at.
var testNow = time.Date(2031, 3, 14, 12, 0, 0, 0, time.UTC)

// Validity windows relative to testNow.
var (
	current = [2]time.Time{testNow.Add(-24 * time.Hour), testNow.Add(365 * 24 * time.Hour)}
	expired = [2]time.Time{testNow.Add(-60 * 24 * time.Hour), testNow.Add(-24 * time.Hour)}
	future  = [2]time.Time{testNow.Add(24 * time.Hour), testNow.Add(60 * 24 * time.Hour)}
)

// issued is a certificate with its key.
type issued struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func (i issued) der() []byte { return i.cert.Raw }

func (i issued) pem() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.cert.Raw})
}

// spec describes one certificate to issue.
type spec struct {
	cn       string
	ca       bool
	validity [2]time.Time
	dns      []string
	ips      []net.IP
	noEKU    bool
}

// issue creates a certificate for s signed by parent (self-signed when
// parent is nil).
func issue(s spec, parent *issued) (issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return issued{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return issued{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: s.cn},
		NotBefore:             s.validity[0],
		NotAfter:              s.validity[1],
		BasicConstraintsValid: true,
		IsCA:                  s.ca,
		DNSNames:              s.dns,
		IPAddresses:           s.ips,
	}
	if s.ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		if !s.noEKU {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}
	}
	signer, signerCert := key, tmpl
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signer)
	if err != nil {
		return issued{}, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return issued{}, err
	}
	return issued{cert: cert, key: key}, nil
}

// pki holds every certificate the tests use.
type pki struct {
	root, inter, leaf issued // root→inter→leaf, leaf SAN localhost

	selfSigned issued // self-signed leaf, SAN localhost

	otherRoot, otherInter, otherLeaf issued // unrelated PKI, leaf SAN localhost

	expiredLeaf issued // under inter

	expiredInter, leafUnderExpiredInter issued // expiredInter under root

	expiredRoot, interUnderExpiredRoot, leafUnderExpiredRoot issued

	futureLeaf issued // under inter, not yet valid

	cnOnly     issued // under inter, no SAN, CN localhost
	wildcard   issued // under inter, SAN *.example.test
	ipLeaf     issued // under inter, IP SANs 127.0.0.1 and ::1
	anchorSig  issued // under inter: a CA, to test leaf signed directly by an anchor
	directLeaf issued // under anchorSig, SAN localhost
}

var (
	fixtureOnce sync.Once
	fixture     *pki
	fixtureErr  error
)

// testPKI builds the PKI once per test binary.
func testPKI(t testing.TB) *pki {
	t.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = buildPKI() })
	if fixtureErr != nil {
		t.Fatalf("building test PKI: %v", fixtureErr)
	}
	return fixture
}

func buildPKI() (*pki, error) {
	var p pki
	localhost := []string{"localhost"}
	steps := []struct {
		dst    *issued
		s      spec
		parent *issued
	}{
		{&p.root, spec{cn: "Test Root", ca: true, validity: current}, nil},
		{&p.inter, spec{cn: "Test Intermediate", ca: true, validity: current}, &p.root},
		{&p.leaf, spec{cn: "leaf", validity: current, dns: localhost}, &p.inter},
		{&p.selfSigned, spec{cn: "self-signed", validity: current, dns: localhost}, nil},
		{&p.otherRoot, spec{cn: "Other Root", ca: true, validity: current}, nil},
		{&p.otherInter, spec{cn: "Other Intermediate", ca: true, validity: current}, &p.otherRoot},
		{&p.otherLeaf, spec{cn: "other leaf", validity: current, dns: localhost}, &p.otherInter},
		{&p.expiredLeaf, spec{cn: "expired leaf", validity: expired, dns: localhost}, &p.inter},
		{&p.expiredInter, spec{cn: "Expired Intermediate", ca: true, validity: expired}, &p.root},
		{&p.leafUnderExpiredInter, spec{cn: "leaf under expired intermediate", validity: current, dns: localhost}, &p.expiredInter},
		{&p.expiredRoot, spec{cn: "Expired Root", ca: true, validity: expired}, nil},
		{&p.interUnderExpiredRoot, spec{cn: "Intermediate under expired root", ca: true, validity: current}, &p.expiredRoot},
		{&p.leafUnderExpiredRoot, spec{cn: "leaf under expired root", validity: current, dns: localhost}, &p.interUnderExpiredRoot},
		{&p.futureLeaf, spec{cn: "future leaf", validity: future, dns: localhost}, &p.inter},
		{&p.cnOnly, spec{cn: "localhost", validity: current}, &p.inter},
		{&p.wildcard, spec{cn: "wildcard", validity: current, dns: []string{"*.example.test"}}, &p.inter},
		{&p.ipLeaf, spec{cn: "ip", validity: current, ips: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}}, &p.inter},
		{&p.anchorSig, spec{cn: "Issuing CA", ca: true, validity: current}, &p.inter},
		{&p.directLeaf, spec{cn: "direct leaf", validity: current, dns: localhost}, &p.anchorSig},
	}
	for _, st := range steps {
		c, err := issue(st.s, st.parent)
		if err != nil {
			return nil, err
		}
		*st.dst = c
	}
	return &p, nil
}

// chainOf lists DER certificates, leaf first.
func chainOf(certs ...issued) [][]byte {
	out := make([][]byte, len(certs))
	for i, c := range certs {
		out[i] = c.der()
	}
	return out
}

// storeOf is a trust store.
func storeOf(certs ...issued) []*x509.Certificate {
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		out[i] = c.cert
	}
	return out
}
