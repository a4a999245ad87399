package leshan

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// The peers' Maven project, embedded so that a built binary can fetch and
// build the peers without the source tree.
//
//go:embed java/pom.xml java/common/pom.xml java/lwm2m/pom.xml java/bootstrap/pom.xml
//go:embed java/common/src java/lwm2m/src java/bootstrap/src
var javaSources embed.FS

// sourceFiles lists the embedded files (paths relative to java/), sorted.
func sourceFiles() ([]string, error) {
	var out []string
	err := fs.WalkDir(javaSources, "java", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel("java", p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// sourceHash identifies the peers' sources: a change rebuilds the cache.
func sourceHash() (string, error) {
	files, err := sourceFiles()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		b, err := javaSources.ReadFile("java/" + f)
		if err != nil {
			return "", err
		}
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// writeSources copies the embedded project into dir.
func writeSources(dir string) error {
	files, err := sourceFiles()
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := javaSources.ReadFile("java/" + f)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
