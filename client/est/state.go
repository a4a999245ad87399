package est

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lwm2m-conform/lwm2m-conform/internal/atomicfile"
	"io/fs"
	"os"
	"time"
)

// State is what the client keeps of EST across restarts (seed 002
// §10.3.3.2: "For EST logic to work properly across restarts of the
// client application, persistence of EST state needs to be implemented"):
// the key pair it generated, the certificate issued for it, when that was
// provisioned, and the anchors from /crts.
type State struct {
	Key           *ecdsa.PrivateKey
	Cert          *x509.Certificate
	ProvisionedAt time.Time
	Anchors       []*x509.Certificate
}

// stateVersion is bumped when the file layout changes incompatibly.
const stateVersion = 1

type stateFile struct {
	Version       int       `json:"version"`
	Key           []byte    `json:"key,omitempty"` // PKCS#8 DER
	Cert          []byte    `json:"cert,omitempty"`
	ProvisionedAt time.Time `json:"provisioned_at,omitzero"`
	Anchors       [][]byte  `json:"anchors,omitempty"`
}

// Enrolled reports whether the state holds a certificate with its key.
func (s *State) Enrolled() bool { return s != nil && s.Key != nil && s.Cert != nil }

// Save writes s to path atomically, readable by the owner only: the file
// holds the private key (seed 002 §10.3.3.2: "the persistence stream will
// contain cryptographic credentials, including private keys").
func Save(path string, s *State) error {
	f := stateFile{Version: stateVersion, ProvisionedAt: s.ProvisionedAt}
	if s.Key != nil {
		der, err := x509.MarshalPKCS8PrivateKey(s.Key)
		if err != nil {
			return fmt.Errorf("EST state: %w", err)
		}
		f.Key = der
	}
	if s.Cert != nil {
		f.Cert = s.Cert.Raw
	}
	for _, a := range s.Anchors {
		f.Anchors = append(f.Anchors, a.Raw)
	}
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteSynced(path, raw, 0o600)
}

// Load reads the state saved at path; a missing file is (nil, nil). A file
// others may read is refused: it holds a private key.
func Load(path string) (*State, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("EST state %s has mode %04o: it holds a private key, want 0600", path, fi.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f stateFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("EST state %s: %w", path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("EST state %s: version %d, this client reads %d", path, f.Version, stateVersion)
	}
	s := &State{ProvisionedAt: f.ProvisionedAt}
	if len(f.Key) > 0 {
		k, err := x509.ParsePKCS8PrivateKey(f.Key)
		if err != nil {
			return nil, fmt.Errorf("EST state %s: key: %w", path, err)
		}
		ec, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("EST state %s: key is %T, not ECDSA", path, k)
		}
		s.Key = ec
	}
	if len(f.Cert) > 0 {
		if s.Cert, err = x509.ParseCertificate(f.Cert); err != nil {
			return nil, fmt.Errorf("EST state %s: certificate: %w", path, err)
		}
		if s.Key == nil || !equalKey(s.Key.Public(), s.Cert.PublicKey) {
			return nil, fmt.Errorf("EST state %s: the certificate is not for the stored key", path)
		}
	}
	for i, der := range f.Anchors {
		a, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("EST state %s: anchor %d: %w", path, i, err)
		}
		s.Anchors = append(s.Anchors, a)
	}
	return s, nil
}
