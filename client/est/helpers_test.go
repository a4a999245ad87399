package est

import (
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// testCA is a case CA of the harness EST server, used here as any CA.
func testCA(t testing.TB) *serverest.CA {
	t.Helper()
	ca, err := serverest.NewCA("client/est test CA", nil)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// issue makes a certificate for key from ca, valid for d from now.
func issue(t testing.TB, ca *serverest.CA, key *ecdsa.PrivateKey, cn string, d time.Duration) *x509.Certificate {
	t.Helper()
	der, err := CSR(key, cn)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ca.IssueClient(csr, key.Public(), d)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func name(cn string) pkix.Name { return pkix.Name{CommonName: cn} }
