package sut

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

// Names of the files Files writes into the case directory.
const (
	fileClientCertPEM = "client-cert.pem"
	fileClientCertDER = "client-cert.der"
	fileClientKeyPEM  = "client-key.pem"
	fileClientKeyDER  = "client-key.der"
	fileServerCertPEM = "server-cert.pem"
	fileServerCertDER = "server-cert.der"
	fileTrustStorePEM = "truststore.pem"
	dirTrustStore     = "truststore"
)

// Files materialises a Target's credentials as files in its directory, each
// on first use, so that a SUT gets exactly the files its command line names.
// Every method returns the absolute path, or "" when the Target has no such
// value (so the option that carries it can be left out). Private keys are
// written mode 0600.
type Files struct {
	t   Target
	dir string // absolute Target.Dir
	// dry names the files without writing them: LoadProfile renders the
	// templates once against a sample Target to check them.
	dry bool

	mu   sync.Mutex
	made map[string]string // file name → path, written already
}

// NewFiles returns the lazy file set of t; nothing is written yet.
func NewFiles(t Target) (*Files, error) {
	f := &Files{t: t, made: map[string]string{}}
	if t.Dir != "" {
		abs, err := filepath.Abs(t.Dir)
		if err != nil {
			return nil, fmt.Errorf("case directory: %w", err)
		}
		f.dir = abs
	}
	return f, nil
}

// ClientCertPEM is the client certificate (/0/x/3) as a PEM file.
func (f *Files) ClientCertPEM() (string, error) {
	return f.file(fileClientCertPEM, 0o644, f.t.ClientCertDER, pemOf("CERTIFICATE"))
}

// ClientCertDER is the client certificate (/0/x/3) as a DER file.
func (f *Files) ClientCertDER() (string, error) {
	return f.file(fileClientCertDER, 0o644, f.t.ClientCertDER, asIs)
}

// ClientKeyPEM is the client private key (/0/x/5) as a PKCS#8 PEM file.
func (f *Files) ClientKeyPEM() (string, error) {
	return f.file(fileClientKeyPEM, 0o600, f.t.ClientKeyPKCS8, pemOf("PRIVATE KEY"))
}

// ClientKeyDER is the client private key (/0/x/5) as a PKCS#8 DER file.
func (f *Files) ClientKeyDER() (string, error) {
	return f.file(fileClientKeyDER, 0o600, f.t.ClientKeyPKCS8, asIs)
}

// ServerCertPEM is the Server Public Key (/0/x/4) as a PEM file.
func (f *Files) ServerCertPEM() (string, error) {
	return f.file(fileServerCertPEM, 0o644, f.t.ServerPublicKey, pemOf(serverKeyPEMType(f.t.ServerPublicKey)))
}

// ServerCertDER is the Server Public Key (/0/x/4) as a DER file.
func (f *Files) ServerCertDER() (string, error) {
	return f.file(fileServerCertDER, 0o644, f.t.ServerPublicKey, asIs)
}

// TrustStorePEM is the trust store as one PEM bundle.
func (f *Files) TrustStorePEM() (string, error) {
	if len(f.t.TrustStore) == 0 {
		return "", nil
	}
	var bundle []byte
	for _, c := range f.t.TrustStore {
		bundle = append(bundle, pemOf("CERTIFICATE")(c.Raw)...)
	}
	return f.file(fileTrustStorePEM, 0o644, bundle, asIs)
}

// TrustStoreDir is the trust store as a directory of PEM files named by
// OpenSSL subject hash (<hash>.<n>, the `openssl rehash` layout), which
// OpenSSL's CApath, Mbed TLS and the reference client all read.
func (f *Files) TrustStoreDir() (string, error) {
	if len(f.t.TrustStore) == 0 {
		return "", nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.made[dirTrustStore]; ok {
		return p, nil
	}
	if f.dir == "" {
		return "", errNoDir(dirTrustStore)
	}
	dir := filepath.Join(f.dir, dirTrustStore)
	if !f.dry {
		if err := writeTrustDir(dir, f.t.TrustStore); err != nil {
			return "", err
		}
	}
	f.made[dirTrustStore] = dir
	return dir, nil
}

func writeTrustDir(dir string, certs []*x509.Certificate) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	used := map[uint32]int{}
	for _, c := range certs {
		h, err := certgen.OpenSSLNameHash(c.RawSubject)
		if err != nil {
			return fmt.Errorf("trust store: %s: %w", c.Subject, err)
		}
		name := fmt.Sprintf("%08x.%d", h, used[h])
		used[h]++
		if err := writeFile(filepath.Join(dir, name), pemOf("CERTIFICATE")(c.Raw), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// file writes name once with encode(data) and returns its path; "" when
// data is empty.
func (f *Files) file(name string, perm os.FileMode, data []byte, encode func([]byte) []byte) (string, error) {
	if len(data) == 0 {
		return "", nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.made[name]; ok {
		return p, nil
	}
	if f.dir == "" {
		return "", errNoDir(name)
	}
	p := filepath.Join(f.dir, name)
	if !f.dry {
		if err := writeFile(p, encode(data), perm); err != nil {
			return "", err
		}
	}
	f.made[name] = p
	return p, nil
}

func errNoDir(name string) error {
	return fmt.Errorf("cannot write %s: the case has no directory (Target.Dir is empty)", name)
}

// writeFile replaces path with data at exactly perm: a file left by an
// earlier run keeps its mode under os.WriteFile, which must not happen to
// a key file.
func writeFile(path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := fh.Write(data); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func asIs(b []byte) []byte { return b }

func pemOf(blockType string) func([]byte) []byte {
	return func(der []byte) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
	}
}

// serverKeyPEMType labels /0/x/4: a certificate normally, a bare
// SubjectPublicKeyInfo as PUBLIC KEY. Bytes that are neither are still
// written as CERTIFICATE, so that a SUT gets to reject them itself.
func serverKeyPEMType(der []byte) string {
	if _, err := x509.ParseCertificate(der); err != nil {
		if _, err := x509.ParsePKIXPublicKey(der); err == nil {
			return "PUBLIC KEY"
		}
	}
	return "CERTIFICATE"
}
