package report

import (
	"os"
	"path/filepath"
	"testing"
)

// Evidence copied into a merged report keeps its modes: a key log, a
// capture with embedded secrets or psk.key must not become world-readable.
func TestCopyEvidenceKeepsOwnerOnlyFiles(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "ev")
	if err := os.WriteFile(filepath.Join(src, "psk.key"), []byte("00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "events.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A world-readable leftover at the destination is replaced, not reused.
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "psk.key"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := copyTree(dst, src); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{"psk.key": 0o600, "events.json": 0o644} {
		st, err := os.Stat(filepath.Join(dst, name))
		if err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: %v, mode %v, want %v", name, err, st.Mode().Perm(), want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "psk.key")); string(b) != "00\n" {
		t.Errorf("psk.key holds %q", b)
	}
}
