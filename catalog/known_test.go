package catalog

import (
	"os"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

// knownRefs checks certificate references against the committed worlds.
func knownRefs(t *testing.T) func(string) bool {
	t.Helper()
	worlds, err := certgen.LoadDir("../fixtures/worlds")
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, w := range worlds {
		for _, c := range w.Certs {
			refs[w.Name+"/"+c.Name] = true
		}
	}
	return func(r string) bool { return refs[r] }
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
