package report

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

// casesDir holds one detail page per case, next to index.html.
const casesDir = "cases"

// WriteHTML writes dir/index.html (header, certificate-usage matrix, one
// table per other area) and dir/cases/<case>.html for every case. Pages are
// self-contained: inline CSS, no scripts, no external assets. Stale case
// pages from an earlier run in the same directory are removed.
func WriteHTML(dir string, r Run) error {
	if dir == "" {
		return errors.New("report: output directory is empty")
	}
	if err := ensureDir(filepath.Join(dir, casesDir)); err != nil {
		return err
	}
	namer := newPageNamer()
	pageOf := make(map[*verdict.Result]string, len(r.Results))
	written := map[string]bool{}
	for i := range r.Results {
		name := namer.name(r.Results[i].Case.ID)
		pageOf[&r.Results[i]] = name
		written[name] = true
	}
	hrefIn := func(res *verdict.Result) string { return casesDir + "/" + pageOf[res] }

	idx := buildIndex(r, hrefIn)
	if err := writeFile(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		return pages.ExecuteTemplate(w, "index.html", idx)
	}); err != nil {
		return fmt.Errorf("report: index.html: %w", err)
	}
	pageDir := filepath.Join(dir, casesDir)
	for i := range r.Results {
		res := &r.Results[i]
		cp := buildCasePage(r, res, dir, pageDir)
		path := filepath.Join(pageDir, pageOf[res])
		if err := writeFile(path, func(w io.Writer) error {
			return pages.ExecuteTemplate(w, "case.html", cp)
		}); err != nil {
			return fmt.Errorf("report: case page for %q: %w", res.Case.ID, err)
		}
	}
	return removeStalePages(pageDir, written)
}

// removeStalePages deletes case pages this run did not write, so the
// directory never shows a case the run did not execute.
func removeStalePages(pageDir string, keep map[string]bool) error {
	entries, err := os.ReadDir(pageDir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".html") && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(pageDir, e.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
