package catalog

import (
	"os"
	"testing"
)

// knownRefs is replaced by the certgen-backed check once worlds load.
func knownRefs(t *testing.T) func(string) bool { return nil }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
