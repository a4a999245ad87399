package report

import (
	"sort"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// certRule is one rule of the SUT's certificate profile that some case
// found broken: how often, how badly, and one case to look at.
type certRule struct {
	Rule, Severity, Source, Message string
	Class                           string
	Cases                           int
	Example, Href                   string
}

// certProfileRules gathers the cert-profile findings of a run, one row a
// rule, errors first. Checked is how many cases linted a certificate.
func certProfileRules(rs []verdict.Result, href func(*verdict.Result) string) (rules []certRule, checked int) {
	byRule := map[string]*certRule{}
	for i := range rs {
		for _, k := range rs[i].Checks {
			if k.Name != verdict.CheckCertProfile || k.Verdict == verdict.Skip {
				continue
			}
			checked++
			for _, f := range k.Findings {
				r, ok := byRule[f.Rule]
				if !ok {
					r = &certRule{Rule: f.Rule, Severity: f.Severity, Source: f.Source, Message: cleanText(f.Message),
						Class: severityClass(f.Severity), Example: rs[i].Case.ID, Href: href(&rs[i])}
					byRule[f.Rule] = r
				}
				r.Cases++
			}
		}
	}
	for _, r := range byRule {
		rules = append(rules, *r)
	}
	rank := map[string]int{"error": 0, "warn": 1, "notice": 2}
	sort.Slice(rules, func(i, j int) bool {
		if rank[rules[i].Severity] != rank[rules[j].Severity] {
			return rank[rules[i].Severity] < rank[rules[j].Severity]
		}
		return rules[i].Rule < rules[j].Rule
	})
	return rules, checked
}

func severityClass(s string) string {
	switch s {
	case "error":
		return verdictClass(verdict.Fail)
	case "warn":
		return verdictClass(verdict.Warn)
	}
	return verdictClass(verdict.Info)
}
