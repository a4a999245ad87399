package provision

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// writeCA writes a self-signed CA as PEM (and its SEC1 key as PEM) and
// returns the two paths.
func writeCA(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sec1, _ := x509.MarshalECPrivateKey(key)
	cp, kp := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(cp, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kp, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cp, kp
}

func base() Settings {
	s := Defaults()
	s.Endpoint = "ep"
	return s
}

func TestBuildPSK(t *testing.T) {
	s := base()
	s.Server, s.PSKIdentity, s.PSKKey = "coaps://lwm2m.example.test:5684", "id", "00ff"
	s.SNI, s.CertUsage, s.CipherSuites = "sni.example.test", "dane-ta", "0xC0A8, 49316"
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != "psk" {
		t.Fatalf("mode %s", p.Mode)
	}
	sec := p.Model.Security()
	if len(sec) != 1 || sec[0].Mode != 0 || string(sec[0].PublicKeyOrIdentity) != "id" || !reflect.DeepEqual(sec[0].SecretKey, []byte{0, 0xff}) {
		t.Fatalf("security %+v", sec)
	}
	if sec[0].SNI != "sni.example.test" || sec[0].CertUsage == nil || *sec[0].CertUsage != 2 || !reflect.DeepEqual(sec[0].CipherSuites, []uint16{0xC0A8, 0xC0A4}) || sec[0].ShortServerID != 101 {
		t.Fatalf("security %+v", sec[0])
	}
	srv := p.Model.Servers()
	if len(srv) != 1 || srv[0].ShortServerID != 101 || srv[0].Lifetime != 300*time.Second {
		t.Fatalf("servers %+v", srv)
	}
}

func TestBuildCertificateAndTrustStoreDir(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeCA(t, dir, "client")
	ts := filepath.Join(dir, "ts")
	if err := os.Mkdir(ts, 0o700); err != nil {
		t.Fatal(err)
	}
	ca1, _ := writeCA(t, ts, "ca1")
	writeCA(t, ts, "ca2")
	// A hashed directory: a symlink to ca1 (a duplicate) and a README.
	if err := os.Symlink(ca1, filepath.Join(ts, "1a2b3c4d.0")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ts, "README"), []byte("trust anchors"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := base()
	s.Server, s.Cert, s.Key, s.ServerCert, s.TrustStore = "coaps://127.0.0.1", cert, key, ca1, ts
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != "cert" || len(p.TrustStore) != 2 {
		t.Fatalf("mode %s, %d trust anchors (want cert, 2)", p.Mode, len(p.TrustStore))
	}
	sec := p.Model.Security()[0]
	if _, err := x509.ParsePKCS8PrivateKey(sec.SecretKey); err != nil {
		t.Fatalf("/0/x/5 is not PKCS#8: %v", err)
	}
	if _, err := x509.ParseCertificate(sec.PublicKeyOrIdentity); err != nil || len(sec.ServerPublicKey) == 0 || sec.CertUsage != nil {
		t.Fatalf("security %+v", sec)
	}
}

func TestBuildBootstrapAndNoSec(t *testing.T) {
	s := base()
	s.Server, s.Bootstrap = "coap://bs.example.test:5683", true
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	sec := p.Model.Security()
	if p.Mode != "nosec" || len(sec) != 1 || !sec[0].Bootstrap || sec[0].ShortServerID != 0 || len(p.Model.Servers()) != 0 {
		t.Fatalf("bootstrap provisioning: mode %s, %+v, servers %+v", p.Mode, sec, p.Model.Servers())
	}
}

func TestBuildErrorsNameTheFlag(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cases := map[string]struct {
		mod  func(*Settings)
		flag string
	}{
		"no endpoint":    {func(s *Settings) { s.Endpoint = "" }, "endpoint"},
		"no server":      {func(s *Settings) {}, "server"},
		"http":           {func(s *Settings) { s.Server = "http://x" }, "server"},
		"mode vs scheme": {func(s *Settings) { s.Server, s.Mode = "coap://x", "psk" }, "server"},
		"unknown mode":   {func(s *Settings) { s.Server, s.Mode = "coaps://x", "rpk" }, "mode"},
		"cannot infer":   {func(s *Settings) { s.Server = "coaps://x" }, "mode"},
		"bad hex":        {func(s *Settings) { s.Server, s.PSKIdentity, s.PSKKey = "coaps://x", "i", "xyz" }, "psk-key"},
		"no identity":    {func(s *Settings) { s.Server, s.Mode, s.PSKKey = "coaps://x", "psk", "00" }, "psk-identity"},
		"missing key":    {func(s *Settings) { s.Server, s.Cert, s.Key = "coaps://x", missing, missing }, "cert"},
		"bad usage":      {func(s *Settings) { s.Server, s.PSKIdentity, s.PSKKey, s.CertUsage = "coaps://x", "i", "00", "7" }, "cert-usage"},
		"bad lifetime":   {func(s *Settings) { s.Server, s.Lifetime = "coap://x", 1500*time.Millisecond }, "lifetime"},
		"bad version":    {func(s *Settings) { s.Server, s.LwM2MVersion = "coap://x", "2.0" }, "lwm2m-version"},
		"bad ssid":       {func(s *Settings) { s.Server, s.SSID = "coap://x", 0 }, "ssid"},
		"empty suites":   {func(s *Settings) { s.Server, s.CipherSuites = "coap://x", " , " }, "ciphersuites"},
		"big suite":      {func(s *Settings) { s.Server, s.CipherSuites = "coap://x", "0x1C0A8" }, "ciphersuites"},
		"missing trust":  {func(s *Settings) { s.Server, s.TrustStore = "coap://x", missing }, "truststore"},
		"missing spk":    {func(s *Settings) { s.Server, s.ServerCert = "coap://x", missing }, "server-cert"},
	}
	for name, tc := range cases {
		s := base()
		tc.mod(&s)
		_, err := Build(s)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Flag != tc.flag {
			t.Errorf("%s: error %v, want one about --%s", name, err, tc.flag)
			continue
		}
		if !strings.HasPrefix(err.Error(), "--"+tc.flag) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %q is not one line starting with --%s", name, err, tc.flag)
		}
	}
}
