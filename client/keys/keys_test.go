package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

func selfSigned(t *testing.T, key crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "k"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParsePrivateKeyEncodings(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	p8ec, _ := x509.MarshalPKCS8PrivateKey(ec)
	sec1, _ := x509.MarshalECPrivateKey(ec)
	p8rsa, _ := x509.MarshalPKCS8PrivateKey(rk)
	pkcs1 := x509.MarshalPKCS1PrivateKey(rk)
	cases := map[string]struct {
		in   []byte
		want crypto.Signer
	}{
		"PKCS#8 DER EC":  {p8ec, ec},
		"PKCS#8 PEM EC":  {pemOf("PRIVATE KEY", p8ec), ec},
		"SEC1 DER":       {sec1, ec},
		"SEC1 PEM":       {pemOf("EC PRIVATE KEY", sec1), ec},
		"PKCS#8 DER RSA": {p8rsa, rk},
		"PKCS#1 DER":     {pkcs1, rk},
		"PKCS#1 PEM":     {pemOf("RSA PRIVATE KEY", pkcs1), rk},
		// EC parameters before the key, as `openssl ecparam -genkey` writes.
		"SEC1 PEM after EC PARAMETERS": {append(pemOf("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), pemOf("EC PRIVATE KEY", sec1)...), ec},
	}
	for name, tc := range cases {
		k, err := ParsePrivateKey(tc.in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		type eq interface{ Equal(crypto.PrivateKey) bool }
		if !k.(eq).Equal(tc.want) {
			t.Errorf("%s: a different key came back", name)
		}
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("hello"),
		"cert PEM":  pemOf("CERTIFICATE", selfSigned(t, ec)),
		"encrypted": []byte("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n"),
	} {
		if _, err := ParsePrivateKey(in); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestParseCertificatesAndMatch(t *testing.T) {
	k1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d1, d2 := selfSigned(t, k1), selfSigned(t, k2)
	bundle := append(append(pemOf("CERTIFICATE", d1), pemOf("X509 CRL", []byte{1})...), pemOf("CERTIFICATE", d2)...)
	certs, err := ParseCertificates(bundle)
	if err != nil || len(certs) != 2 {
		t.Fatalf("bundle: %d certs, %v", len(certs), err)
	}
	der, err := CertificateDER(pemOf("CERTIFICATE", d1))
	if err != nil || string(der) != string(d1) {
		t.Fatalf("CertificateDER from PEM: %v", err)
	}
	if c, err := ParseCertificate(d2); err != nil || !MatchesCertificate(k2, c) || MatchesCertificate(k1, c) {
		t.Fatalf("DER parse / key match wrong: %v", err)
	}
	if _, err := ParseCertificate([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")); err == nil || !strings.Contains(err.Error(), "PEM certificate 1") {
		t.Fatalf("broken PEM certificate: %v", err)
	}
}
