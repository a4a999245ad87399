package est

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Seed 002 §10.3.3.2: EST state persists across restarts, and the file
// holds the private key: mode 0600, and a file others can read is refused.
func TestStateRoundTrip(t *testing.T) {
	ca := testCA(t)
	key := mustKey(t)
	cert := issue(t, ca, key, "ep", time.Hour)
	path := filepath.Join(t.TempDir(), "est.json")
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := Save(path, &State{Key: key, Cert: cert, ProvisionedAt: at, Anchors: []*x509.Certificate{ca.Cert}}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v, want 0600", fi.Mode(), err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Enrolled() || !s.Key.Equal(key) || !s.Cert.Equal(cert) || !s.ProvisionedAt.Equal(at) || len(s.Anchors) != 1 || !s.Anchors[0].Equal(ca.Cert) {
		t.Fatalf("loaded %+v", s)
	}
	if s, err := Load(filepath.Join(t.TempDir(), "none.json")); s != nil || err != nil {
		t.Fatalf("missing file: %v %v", s, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "want 0600") {
		t.Fatalf("world-readable state: %v", err)
	}
	// A certificate that is not for the stored key is not restored.
	other := issue(t, ca, mustKey(t), "ep", time.Hour)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := Save(bad, &State{Key: key, Cert: other}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "not for the stored key") {
		t.Fatalf("mismatched state: %v", err)
	}
}
