package dtlswire

import (
	_ "embed"
	"fmt"
	"strings"
)

// Level is how weak a cipher suite on offer is; higher is more severe.
type Level int

const (
	Fine    Level = iota // no rule matched
	Unknown              // not in the registry, so it cannot be judged
	Legacy               // discouraged: the check WARNs
	Broken               // must not be negotiated: the check FAILs
)

func (l Level) String() string {
	switch l {
	case Fine:
		return "fine"
	case Unknown:
		return "unknown"
	case Legacy:
		return "legacy"
	case Broken:
		return "broken"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Weakness is one judgement with its reason and the text it rests on.
type Weakness struct {
	Level  Level
	Reason string
	Source string // e.g. "RFC 9325 §4.1"
}

//go:embed suite_rules.tsv
var suiteRulesTSV string

var suiteRules = mustLoadRules()

func mustLoadRules() []rule {
	r, err := parseRules("suite_rules.tsv", suiteRulesTSV, suites)
	if err != nil {
		panic(err)
	}
	return r
}

// SuiteWeaknesses returns every rule that matches the suite, in table order.
// Signalling values and unregistered codes get one non-rule judgement.
func SuiteWeaknesses(id uint16) []Weakness {
	if IsGREASE(id) {
		return []Weakness{{Fine, "GREASE value, not an offer", "RFC 8701 §2"}}
	}
	s, ok := suiteByID[id]
	if !ok {
		return []Weakness{{Unknown, "not in the IANA TLS Cipher Suites registry", "IANA TLS Cipher Suites registry"}}
	}
	if s.KeyExchange == "SCSV" {
		return []Weakness{{Fine, "signalling value, not an offer", s.Reference}}
	}
	var out []Weakness
	for _, r := range suiteRules {
		if r.matches(s) {
			out = append(out, r.Weakness)
		}
	}
	return out
}

// SuiteWeakness returns the most severe judgement of a suite (the first
// such rule in table order), or Level Fine with no reason when none match.
func SuiteWeakness(id uint16) Weakness {
	var worst Weakness
	for _, w := range SuiteWeaknesses(id) {
		if w.Level > worst.Level || worst.Reason == "" {
			worst = w
		}
	}
	return worst
}

// rule is one row of suite_rules.tsv: every term must hold for a match.
type rule struct {
	Weakness
	terms []term
}

type term struct {
	column string
	values map[string]bool
}

func (r rule) matches(s Suite) bool {
	for _, t := range r.terms {
		if !t.values[suiteColumn(s, t.column)] {
			return false
		}
	}
	return true
}

// suiteColumn reads a Suite field by its iana_suites.tsv column name.
func suiteColumn(s Suite, column string) string {
	switch column {
	case "kx":
		return s.KeyExchange
	case "auth":
		return s.Auth
	case "cipher":
		return s.Cipher
	case "mode":
		return s.Mode
	case "mac":
		return s.MAC
	case "export":
		if s.Export {
			return "Y"
		}
		return "N"
	}
	return ""
}

var ruleLevels = map[string]Level{"broken": Broken, "legacy": Legacy}

// parseRules reads the rules table. Every value a rule names must occur in
// that column of the registry, so a misspelt value fails here instead of
// silently matching nothing.
func parseRules(file, text string, registry []Suite) ([]rule, error) {
	seen := map[string]map[string]bool{}
	for _, c := range []string{"kx", "auth", "cipher", "mode", "mac", "export"} {
		seen[c] = map[string]bool{}
		for _, s := range registry {
			seen[c][suiteColumn(s, c)] = true
		}
	}
	var out []rule
	err := tsvRows(text, 4, func(_ int, f []string) error {
		lvl, ok := ruleLevels[f[0]]
		if !ok {
			return fmt.Errorf("level %q is not broken or legacy", f[0])
		}
		r := rule{Weakness: Weakness{Level: lvl, Reason: f[2], Source: f[3]}}
		for _, tm := range strings.Fields(f[1]) {
			col, vals, ok := strings.Cut(tm, "=")
			if !ok || seen[col] == nil || vals == "" {
				return fmt.Errorf("match term %q is not column=value[,value] with a column of iana_suites.tsv", tm)
			}
			t := term{column: col, values: map[string]bool{}}
			for _, v := range strings.Split(vals, ",") {
				if !seen[col][v] {
					return fmt.Errorf("no registry row has %s=%s", col, v)
				}
				t.values[v] = true
			}
			r.terms = append(r.terms, t)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s %w", file, err)
	}
	return out, nil
}
