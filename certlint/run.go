package certlint

import (
	stdx509 "crypto/x509"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3"
	"github.com/zmap/zlint/v3/lint"

	"github.com/lwm2m-conform/lwm2m-conform/certlint/chain"
	"github.com/lwm2m-conform/lwm2m-conform/certlint/lints"
)

// Lint checks a chain the standard library parsed (leaf first, as a peer
// presents it). A certificate zcrypto cannot parse gives one error
// finding under the rule "parse".
func (p *Profile) Lint(certs []*stdx509.Certificate, par Params) []Finding {
	ders := make([][]byte, len(certs))
	for i, c := range certs {
		ders[i] = c.Raw
	}
	fs, err := p.LintDER(ders, par)
	if err != nil {
		return []Finding{{Rule: "parse", Severity: Error, Message: err.Error()}}
	}
	return fs
}

// LintDER checks a chain of DER certificates, leaf first. Findings come
// in chain order, and in profile order for each certificate, chain rules
// after the certificate they name.
func (p *Profile) LintDER(ders [][]byte, par Params) ([]Finding, error) {
	if len(ders) == 0 {
		return nil, fmt.Errorf("certlint: no certificate to lint")
	}
	certs := make([]*x509.Certificate, len(ders))
	for i, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("certlint: certificate %d of the chain: %w", i, err)
		}
		certs[i] = c
	}
	if par.Now.IsZero() {
		par.Now = time.Now()
	}
	var out []Finding
	for si, s := range p.scopes {
		if si == scopeIssuers && len(certs) == 1 {
			continue
		}
		for _, ps := range s.passes {
			reg, err := ps.configured(par)
			if err != nil {
				return nil, err
			}
			for i, c := range certs {
				if (i == 0) == (si == scopeLeaf) {
					out = append(out, ps.findings(i, zlint.LintCertificateEx(c, reg))...)
				}
			}
		}
	}
	in := chain.Input{Certs: certs, Encoding: par.Encoding, MaxDepth: par.MaxDepth}
	for _, r := range p.chain {
		check, _ := chain.Lookup(r.Check)
		for _, pr := range check.Run(in) {
			f := r.finding(pr.Msg, pr.Cert)
			if pr.Unchecked {
				f.Severity = Notice
			}
			out = append(out, f)
		}
	}
	order := map[string]int{}
	for i, r := range p.Rules {
		order[r.ID] = i
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Cert != b.Cert {
			return a.Cert - b.Cert
		}
		return order[a.Rule] - order[b.Rule]
	})
	return out, nil
}

// configured is the pass's registry with this run's configuration: the
// profile's parameters, and the run's values for every lc_ lint.
func (s *pass) configured(par Params) (lint.Registry, error) {
	tables := map[string]map[string]any{}
	for _, name := range s.names {
		t := maps.Clone(s.params[name])
		if strings.HasPrefix(name, lints.Prefix) {
			if t == nil {
				t = map[string]any{}
			}
			t["endpoint"], t["account"], t["now"] = par.Endpoint, par.Account, par.Now.Unix()
		}
		tables[name] = t
	}
	cfg, err := config(tables)
	if err != nil {
		return nil, fmt.Errorf("certlint: configuration: %w", err)
	}
	// A copy per run: configurations differ between concurrent runs.
	reg, err := s.reg.Filter(lint.FilterOptions{IncludeNames: s.names})
	if err != nil {
		return nil, err
	}
	reg.SetConfiguration(cfg)
	return reg, nil
}

func (s *pass) findings(cert int, rs *zlint.ResultSet) []Finding {
	var out []Finding
	for _, name := range s.names {
		res := rs.Results[name]
		if res == nil {
			continue
		}
		r := s.rules[name]
		switch res.Status {
		case lint.Pass, lint.NA, lint.NE, lint.Reserved:
			continue
		case lint.Fatal:
			f := r.finding("lint failed: "+res.Details, cert)
			f.Severity = Error
			out = append(out, f)
		case lint.Notice:
			f := r.finding(res.Details, cert)
			// Our lints say notice when a run left out what they compare.
			if strings.HasPrefix(name, lints.Prefix) {
				f.Severity = Notice
			}
			out = append(out, f)
		default:
			out = append(out, r.finding(res.Details, cert))
		}
	}
	return out
}

func (r *Rule) finding(msg string, cert int) Finding {
	if msg == "" {
		msg = "violated: " + r.Says
	}
	return Finding{Rule: r.ID, Check: r.Check, Severity: r.Severity, Basis: r.Basis, Source: r.Source, Says: r.Says, Message: msg, Cert: cert}
}
