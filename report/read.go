package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReadRunFrom reads a run from a report directory (its results.json) or
// from a results.json file given by path. dir is the report directory the
// run was read from.
func ReadRunFrom(path string) (r Run, dir string, err error) {
	file := path
	if info, err := os.Stat(path); err != nil {
		return Run{}, "", err
	} else if info.IsDir() {
		file = filepath.Join(path, "results.json")
	}
	f, err := os.Open(file)
	if err != nil {
		return Run{}, "", err
	}
	defer f.Close()
	r, err = ReadJSON(f)
	if err != nil {
		return Run{}, "", fmt.Errorf("%s: %w", file, err)
	}
	return r, filepath.Dir(file), nil
}
