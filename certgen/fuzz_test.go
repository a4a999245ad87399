package certgen

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that any input yields a world or a located SpecError,
// never a panic, and that accepted worlds stay valid.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(worldsDir, "*.yaml"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "# c\n", "---\n", "[]", "null", ": x\n", "world: [a]\n",
		"world: w\ncerts:\n  - null\n",
		"world: w\ncerts:\n  - &a {name: r, kind: root, subject: {cn: r}}\n  - *a\n",
		"world: w\ncerts: [{name: a, kind: intermediate, issuer: b, subject: {cn: a}}, {name: b, kind: intermediate, issuer: a, subject: {cn: b}}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Parse("f.yaml", data)
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) || se.File != "f.yaml" {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		if err := w.validate(); err != nil {
			t.Fatalf("accepted world fails validation again: %v", err)
		}
	})
}
