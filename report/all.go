package report

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// WriteAll writes every report of r into dir: junit.xml, index.html (with
// cases/), summary.md and results.json. It writes what it can and returns
// the joined errors of those it could not.
func WriteAll(dir string, r Run) error {
	if err := ensureDir(dir); err != nil {
		return err
	}
	return errors.Join(WriteData(dir, r), WriteHTML(dir, r))
}

// WriteData writes the reports other than the HTML one into dir:
// junit.xml, summary.md and results.json, for a run whose HTML report is
// published from a directory of its own.
func WriteData(dir string, r Run) error {
	if err := ensureDir(dir); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer, Run) error
	}{
		{"junit.xml", WriteJUnit},
		{"summary.md", WriteSummary},
		{"results.json", WriteJSON},
	}
	var errs []error
	for _, f := range files {
		err := writeFile(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, r) })
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
		}
	}
	return errors.Join(errs...)
}
