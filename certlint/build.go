package certlint

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/pelletier/go-toml"
	"github.com/zmap/zlint/v3/lint"
	_ "github.com/zmap/zlint/v3/lints/rfc" // the RFC 5280 lints profiles reuse

	"github.com/lwm2m-conform/lwm2m-conform/certlint/chain"
	"github.com/lwm2m-conform/lwm2m-conform/certlint/lints"
)

// scope is the zlint side of a profile for one kind of certificate. zlint
// configures a lint by its name, so a lint that two rules use with
// different parameters runs in a second pass.
type scope struct {
	passes []*pass
}

// pass is one zlint run over a certificate.
type pass struct {
	reg    lint.Registry             // only this pass's lints
	names  []string                  // lint names, in rule order
	rules  map[string]*Rule          // lint name -> rule
	params map[string]map[string]any // lint name -> profile parameters
}

const (
	scopeLeaf    = 0
	scopeIssuers = 1
)

// build resolves every rule to a zlint lint or a chain check, checks its
// parameters, and prepares one filtered zlint registry per scope.
func (p *Profile) build() error {
	for i := range p.scopes {
		p.scopes[i] = &scope{}
	}
	for i, r := range p.Rules {
		if _, ok := chain.Lookup(r.Check); ok {
			if r.Certs != "" {
				return p.ruleError(r, i, "certs", "%s is a chain check: it looks at the whole chain", r.Check)
			}
			if len(r.Params) > 0 {
				return p.ruleError(r, i, "params", "chain check %s takes no parameters (its values come from the run)", r.Check)
			}
			r.Certs = CertsChain
			p.chain = append(p.chain, r)
			continue
		}
		if err := p.addLint(r, i); err != nil {
			return err
		}
	}
	for _, s := range p.scopes {
		for _, ps := range s.passes {
			reg, err := lint.GlobalRegistry().Filter(lint.FilterOptions{IncludeNames: ps.names, ExcludeSources: excludedSources})
			if err != nil {
				return fmt.Errorf("%s: %w", p.File, err)
			}
			ps.reg = reg
		}
	}
	return nil
}

func (p *Profile) addLint(r *Rule, i int) error {
	l := lint.GlobalRegistry().CertificateLints().ByName(r.Check)
	if l == nil {
		return p.ruleError(r, i, "check", "unknown check %q (want a zlint certificate lint, an %s* lint or one of %s)",
			r.Check, lints.Prefix, strings.Join(chain.Names(), ", "))
	}
	if slices.Contains(excludedSources, l.Source) {
		return p.ruleError(r, i, "check", "%s is a %s lint; profiles leave CA/Browser Forum and root-program lints out (an OCF identity certificate carries serverAuth and would be judged as a web server certificate)", r.Check, l.Source)
	}
	if err := p.checkParams(r, i, l); err != nil {
		return err
	}
	if r.Certs == "" {
		r.Certs = CertsAll
	}
	for si, applies := range map[int]bool{scopeLeaf: r.Certs != CertsIssuers, scopeIssuers: r.Certs != CertsLeaf} {
		if !applies {
			continue
		}
		p.scopes[si].add(r)
	}
	return nil
}

// add puts the rule's lint in the first pass that does not run it yet.
func (s *scope) add(r *Rule) {
	for _, ps := range s.passes {
		if ps.rules[r.Check] == nil {
			ps.add(r)
			return
		}
	}
	ps := &pass{rules: map[string]*Rule{}, params: map[string]map[string]any{}}
	s.passes = append(s.passes, ps)
	ps.add(r)
}

func (ps *pass) add(r *Rule) {
	ps.rules[r.Check] = r
	ps.names = append(ps.names, r.Check)
	ps.params[r.Check] = r.Params
}

// checkParams configures a fresh instance of the lint with the rule's
// parameters, so that unknown names, wrong types, missing values and
// values the lint rejects are load errors rather than findings.
func (p *Profile) checkParams(r *Rule, i int, l *lint.CertificateLint) error {
	inst := l.Lint()
	c, ok := inst.(lint.Configurable)
	if !ok {
		if len(r.Params) > 0 {
			return p.ruleError(r, i, "params", "%s takes no parameters", r.Check)
		}
		return nil
	}
	target := c.Configure()
	known := paramNames(target)
	for k := range r.Params {
		if slices.Contains(lints.Runtime, k) {
			return p.ruleError(r, i, "params."+k, "set by each run, not by the profile")
		}
		if !slices.Contains(known, k) {
			return p.ruleError(r, i, "params."+k, "unknown parameter of %s (want %s)", r.Check, strings.Join(known, ", "))
		}
	}
	cfg, err := config(map[string]map[string]any{r.Check: r.Params})
	if err == nil {
		err = cfg.Configure(target, r.Check)
	}
	if err != nil {
		return p.ruleError(r, i, "params", "%s: %v", r.Check, err)
	}
	for _, k := range known {
		if reflect.ValueOf(target).Elem().FieldByIndex(fieldIndex(target, k)).IsZero() {
			return p.ruleError(r, i, "params."+k, "required by %s", r.Check)
		}
	}
	if v, ok := target.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return p.ruleError(r, i, "params", "%v", err)
		}
	}
	return nil
}

// paramNames are the toml keys of a lint's configuration struct that a
// profile may set: all but the run's own.
func paramNames(target any) []string {
	var out []string
	t := reflect.TypeOf(target).Elem()
	for _, f := range reflect.VisibleFields(t) {
		if k := f.Tag.Get("toml"); k != "" && !slices.Contains(lints.Runtime, k) {
			out = append(out, k)
		}
	}
	return out
}

func fieldIndex(target any, key string) []int {
	for _, f := range reflect.VisibleFields(reflect.TypeOf(target).Elem()) {
		if f.Tag.Get("toml") == key {
			return f.Index
		}
	}
	return nil
}

// config renders lint configurations as the TOML zlint reads.
func config(tables map[string]map[string]any) (lint.Configuration, error) {
	m := map[string]any{}
	for name, t := range tables {
		if len(t) > 0 {
			m[name] = t
		}
	}
	tree, err := toml.TreeFromMap(m)
	if err != nil {
		return lint.Configuration{}, err
	}
	return lint.NewConfigFromString(tree.String())
}
