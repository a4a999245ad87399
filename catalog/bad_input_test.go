package catalog

import (
	"strings"
	"testing"
)

// A malformed table names the file, line and field; nothing is half-loaded.
func TestBadTablesNameFileLineAndField(t *testing.T) {
	const head = `area: t
id: "t/{d}"
dimensions:
  - name: d
    values:
      a: {sut: {mode: cert, host: localhost}, peer: {chain: [w/leaf], key: w/leaf}}
`
	known := func(ref string) bool { return ref == "w/leaf" || ref == "w/root" }
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown usage": {head + `      b: {sut: {mode: cert, usage: 7}}
rules: []
`, "bad.yaml:7: dimensions[0].values.b.sut.usage: unknown certificate usage \"7\""},
		"unknown cert": {head + `      b: {sut: {mode: cert, server_public_key: w/nope}}
rules:
  - when: {}
    expect: accept
    basis: seed
    source: "000_x.txt §1"
`, "bad.yaml:7: dimensions[0].values.b.sut.server_public_key: unknown certificate \"w/nope\""},
		"unknown world var": {head + `      b: {sut: {server_public_key: $leaf}}
rules:
  - when: {}
    expect: accept
    basis: seed
    source: "000_x.txt §1"
`, "bad.yaml:7: dimensions[0].values.b.sut.server_public_key: unknown variable $leaf"},
		"typo field": {head + `rules:
  - when: {d: [a]}
    expcet: accept
`, "bad.yaml:9: rules[0].expcet: unknown field"},
		"bad expect": {head + `rules:
  - when: {d: [a]}
    expect: maybe
    basis: seed
    source: x
`, "bad.yaml:9: rules[0].expect: unknown value \"maybe\" (want accept, reject)"},
		"unknown dimension value": {head + `rules:
  - when: {d: [zzz]}
    expect: accept
    basis: seed
    source: x
`, "bad.yaml:8: rules[0].when.d: dimension d has no value \"zzz\""},
		"no source": {head + `rules:
  - when: {d: [a]}
    expect: accept
    basis: seed
    source: "  "
`, "bad.yaml:11: rules[0].source: a rule must cite its source"},
		"incomplete table": {head + `rules: []
`, "bad.yaml:7: rules: no rule gives a verdict for t/a"},
		"bad mode": {head + `      b: {sut: {mode: tls}}
rules: []
`, "bad.yaml:7: dimensions[0].values.b.sut.mode: unknown security mode \"tls\""},
		"yaml syntax: the line at fault, not the one before": {head + `rules:
  - when: {d: [a]}
   expect: accept
`, "bad.yaml:9: invalid YAML: "},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml), known)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateCaseIDsAcrossTables(t *testing.T) {
	dir := t.TempDir()
	table := `area: t
id: "same/{d}"
dimensions:
  - name: d
    values:
      a: {sut: {mode: nosec, host: localhost}}
rules:
  - when: {d: [a]}
    expect: accept
    basis: seed
    source: "000_x.txt §1"
`
	writeFile(t, dir+"/a.yaml", table)
	writeFile(t, dir+"/b.yaml", table)
	_, err := Load(dir, nil)
	if err == nil || !strings.Contains(err.Error(), "duplicate case id same/a") {
		t.Fatalf("want duplicate id error, got %v", err)
	}
}
