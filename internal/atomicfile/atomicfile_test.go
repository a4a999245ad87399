package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// A file left world-readable by an earlier run is replaced with the mode
// asked for, and no temporary file stays behind.
func TestWriteReplacesContentAndMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "psk.key")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, w := range []func(string, []byte, os.FileMode) error{Write, WriteSynced} {
		if err := w(path, []byte("new"), 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v, %v", st.Mode(), err)
		}
		if b, _ := os.ReadFile(path); string(b) != "new" {
			t.Fatalf("content %q", b)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestWriteIntoMissingDirectoryFails(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "no", "such"), nil, 0o600); err == nil {
		t.Fatal("no error")
	}
}
