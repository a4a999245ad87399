package certgen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// LoadDir parses every *.yaml file in dir and returns the worlds sorted by
// name. World names must be unique across files.
func LoadDir(dir string) ([]*World, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("certgen: %w", err)
		}
		return nil, fmt.Errorf("certgen: no world specs (*.yaml) in %s", dir)
	}
	var worlds []*World
	byName := map[string]*World{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("certgen: %w", err)
		}
		w, err := Parse(f, data)
		if err != nil {
			return nil, err
		}
		if prev := byName[w.Name]; prev != nil {
			return nil, w.errAt(w.lines, "world", "world", "duplicate world name %q (also in %s:%d)", w.Name, prev.File, prev.lines["world"])
		}
		byName[w.Name] = w
		worlds = append(worlds, w)
	}
	sort.Slice(worlds, func(i, j int) bool { return worlds[i].Name < worlds[j].Name })
	return worlds, nil
}
