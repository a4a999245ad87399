package provision

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"sort"

	"github.com/lwm2m-conform/lwm2m-conform/client/keys"
)

// readCertificate reads one certificate (PEM or DER) and returns its DER.
func readCertificate(flag, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	der, err := keys.CertificateDER(b)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	return der, nil
}

// readPrivateKey reads a key (PEM or DER; PKCS#8, SEC1 or PKCS#1) and
// returns it as PKCS#8 DER, the form /0/x/5 holds.
func readPrivateKey(flag, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	k, err := keys.ParsePrivateKey(b)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	der, err := keys.PKCS8(k)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	return der, nil
}

// ReadTrustStore reads a PEM bundle or DER file, or every file of a
// directory (a hashed trust-store directory's symlinks included; files
// holding no certificate, such as CRLs or a README, are skipped).
// Duplicates are dropped; an empty result is an error.
func ReadTrustStore(path string) ([]*x509.Certificate, error) {
	const flag = "truststore"
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	if !fi.IsDir() {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fileErr(flag, path, err)
		}
		certs, err := keys.ParseCertificates(b)
		if err != nil {
			return nil, fileErr(flag, path, err)
		}
		return dedupe(certs), nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fileErr(flag, path, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var all []*x509.Certificate
	for _, n := range names {
		p := filepath.Join(path, n)
		st, err := os.Stat(p) // follows symlinks
		if err != nil || st.IsDir() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fileErr(flag, p, err)
		}
		certs, err := keys.ParseCertificates(b)
		if err != nil {
			continue
		}
		all = append(all, certs...)
	}
	if len(all) == 0 {
		return nil, fileErr(flag, path, errors.New("directory holds no certificate"))
	}
	return dedupe(all), nil
}

func dedupe(certs []*x509.Certificate) []*x509.Certificate {
	seen := map[string]bool{}
	out := certs[:0:0]
	for _, c := range certs {
		if !seen[string(c.Raw)] {
			seen[string(c.Raw)] = true
			out = append(out, c)
		}
	}
	return out
}
