package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// LoadError names the file, line and field of a problem in a case table.
type LoadError = yamlpos.Error

// wording is how case-table errors have always been phrased.
var wording = yamlpos.Wording{
	RepeatedKey: func(int) string { return "duplicate key" },
	NotFloat: func(_ string, min, max float64) string {
		return fmt.Sprintf("want a fraction between %g and %g", min, max)
	},
}

// Catalogue is every case of every table, in file then table order.
type Catalogue struct {
	Cases []Case
	Files []string
}

// Load reads every *.yaml case table in dir. known reports whether a
// certificate reference ("world/name") exists; nil skips that check.
// Malformed tables, unknown references and duplicate ids are errors that
// name the file, line and field.
func Load(dir string, known func(ref string) bool) (*Catalogue, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no case tables (*.yaml)", dir)
	}
	sort.Strings(files)
	cat := &Catalogue{}
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		cases, err := Parse(f, data, known)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			if prev, dup := seen[c.ID]; dup {
				return nil, &LoadError{File: f, Line: 1, Field: "id", Msg: fmt.Sprintf("duplicate case id %s (also produced by %s)", c.ID, prev)}
			}
			seen[c.ID] = c.Origin
		}
		cat.Cases = append(cat.Cases, cases...)
		cat.Files = append(cat.Files, f)
	}
	return cat, nil
}

// Parse expands one case table.
func Parse(file string, data []byte, known func(ref string) bool) ([]Case, error) {
	top, err := yamlpos.Document(file, data)
	if err != nil {
		return nil, err
	}
	if top == nil {
		return nil, &LoadError{File: file, Line: 1, Msg: "empty case table"}
	}
	src := &yamlpos.Source{File: file, Wording: wording}
	t, err := parseTable(file, src.Root(top))
	if err != nil {
		return nil, err
	}
	return t.expand(known)
}

// Get returns the case with the given id.
func (c *Catalogue) Get(id string) (Case, bool) {
	for _, cs := range c.Cases {
		if cs.ID == id {
			return cs, true
		}
	}
	return Case{}, false
}
