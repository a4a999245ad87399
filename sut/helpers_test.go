package sut

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeProfile writes a profile file into a fresh directory.
func writeProfile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustLoad(t *testing.T, body string) *Profile {
	t.Helper()
	p, err := LoadProfile(writeProfile(t, body))
	if err != nil {
		t.Fatalf("LoadProfile: %v", err)
	}
	return p
}

// testCert makes a self-signed P-256 certificate with its PKCS#8 key.
func testCert(t *testing.T, cn string, isCA bool) (*x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: isCA, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return cert, pk
}

// certTarget is a certificate-mode Target with every credential set.
func certTarget(t *testing.T) Target {
	t.Helper()
	client, clientKey := testCert(t, "client", false)
	server, _ := testCert(t, "server", false)
	root, _ := testCert(t, "root", true)
	other, _ := testCert(t, "other root", true)
	return Target{
		CaseID: "certusage/u3/x", Endpoint: "ep-1", ServerURI: "coaps://localhost:40001",
		Mode: "cert", LwM2M: "1.1", Usage: 3,
		ServerPublicKey: server.Raw, TrustStore: []*x509.Certificate{root, other},
		ClientCertDER: client.Raw, ClientKeyPKCS8: clientKey,
		Dir: t.TempDir(),
	}
}
