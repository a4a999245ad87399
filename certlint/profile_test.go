package certlint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedSentencesAreQuoted: a seed-based rule quotes its seed verbatim.
func TestSeedSentencesAreQuoted(t *testing.T) {
	const seeds = "../../shared/seeds"
	if _, err := os.Stat(seeds); err != nil {
		t.Skip("no shared/seeds beside the repository")
	}
	for _, n := range Names() {
		for _, r := range mustLoad(t, n).Rules {
			if r.Basis != "seed" {
				continue
			}
			file, _, _ := strings.Cut(r.Source, ",")
			data, err := os.ReadFile(filepath.Join(seeds, file))
			if err != nil {
				t.Errorf("%s/%s: source %q: %v", n, r.ID, r.Source, err)
				continue
			}
			if !strings.Contains(strings.Join(strings.Fields(string(data)), " "), r.Says) {
				t.Errorf("%s/%s: %q is not in %s", n, r.ID, r.Says, file)
			}
		}
	}
}

func TestParseErrorsAreLocated(t *testing.T) {
	head := "profile: p\nrules:\n  - id: a\n    basis: rfc\n    source: s\n    says: s\n"
	for _, tc := range []struct{ doc, want string }{
		{head + "    check: lc_nope\n    severity: error\n", `p.yaml:3: rules[0].check: unknown check "lc_nope"`},
		{head + "    check: lc_version\n    severity: fatal\n", `p.yaml:8: rules[0].severity: unknown severity "fatal" (want notice, warn, error)`},
		{head + "    check: lc_key_curve\n    severity: error\n", `p.yaml:3: rules[0].params.curves: required by lc_key_curve`},
		{head + "    check: lc_key_curve\n    severity: error\n    params: {curves: [P-999]}\n", `p.yaml:3: rules[0].params: unknown curve "P-999"`},
		{head + "    check: lc_subject_cn\n    severity: error\n    params: {endpoint: x}\n", `p.yaml:3: rules[0].params.endpoint: set by each run, not by the profile`},
		{head + "    check: chain_depth\n    certs: leaf\n    severity: error\n", `p.yaml:3: rules[0].certs: chain_depth is a chain check`},
		{head + "    check: lc_version\n    colour: red\n", `p.yaml:8: rules[0].colour: unknown field`},
		{"profile: p\n", `p.yaml:1: rules: required`},
		{head + "    check: lc_version\n   severity: error\n", `p.yaml:8: invalid YAML: `},
	} {
		_, err := Parse("p.yaml", []byte(tc.doc))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got: %v\nwant: %s...", tc.doc, err, tc.want)
		}
	}
}
