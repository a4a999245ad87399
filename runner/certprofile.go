package runner

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certlint"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// certProfiles caches loaded certificate profiles by name.
var certProfiles sync.Map // name → *certlint.Profile

func certProfile(name string) (*certlint.Profile, error) {
	if p, ok := certProfiles.Load(name); ok {
		return p.(*certlint.Profile), nil
	}
	p, err := certlint.Load(name)
	if err != nil {
		return nil, err
	}
	certProfiles.Store(name, p)
	return p, nil
}

// checkCertProfile lints every chain the SUT presented in a handshake
// against the profile it declares: error findings FAIL, warnings WARN.
func checkCertProfile(caps sut.Capabilities, endpoint string, evs []events.Event) (verdict.Check, bool) {
	if caps.CertificateProfile == "" {
		return verdict.Check{}, false
	}
	prof, err := certProfile(caps.CertificateProfile)
	if err != nil {
		return fail(verdict.CheckCertProfile, catalog.BasisSeed, "", err.Error()), true
	}
	var findings []certlint.Finding
	chains := 0
	for _, e := range evs {
		if e.Kind != events.HandshakeDone || e.Fields["peer_chain"] == "" {
			continue
		}
		chain, err := decodeChain(e.Fields["peer_chain"])
		if err != nil {
			return fail(verdict.CheckCertProfile, catalog.BasisSeed, "", "the presented chain does not parse: "+err.Error()), true
		}
		chains++
		findings = append(findings, prof.Lint(chain, certlint.Params{Endpoint: endpoint, Account: caps.CertificateAccount, MaxDepth: caps.CertificateMaxDepth})...)
	}
	if chains == 0 {
		return skipCheck(verdict.CheckCertProfile, "the SUT presented no certificate"), true
	}
	var errs, warns, notes []string
	var sources []string
	var structured []verdict.Finding
	for _, f := range dedupe(findings) {
		structured = append(structured, verdict.Finding{Rule: f.Rule, Severity: f.Severity, Source: f.Source,
			Message: fmt.Sprintf("cert %d: %s", f.Cert, f.Message)})
		line := fmt.Sprintf("%s (cert %d): %s", f.Rule, f.Cert, f.Message)
		switch f.Severity {
		case certlint.Error:
			errs = append(errs, line)
		case certlint.Warn:
			warns = append(warns, line)
		default:
			notes = append(notes, line)
			continue
		}
		sources = append(sources, f.Source)
	}
	src := strings.Join(uniq(sources), "; ")
	name := caps.CertificateProfile
	var k verdict.Check
	switch {
	case len(errs) > 0:
		k = fail(verdict.CheckCertProfile, catalog.BasisSeed, src, fmt.Sprintf("the SUT's certificate breaks profile %s: %s", name, strings.Join(append(errs, warns...), "; ")))
	case len(warns) > 0:
		k = verdict.Check{Name: verdict.CheckCertProfile, Verdict: verdict.Warn, Basis: catalog.BasisSeed, Source: src,
			Message: fmt.Sprintf("profile %s warnings: %s", name, strings.Join(warns, "; "))}
	default:
		msg := "the SUT's certificate follows profile " + name
		if len(notes) > 0 {
			msg += " (notices: " + strings.Join(notes, "; ") + ")"
		}
		k = pass(verdict.CheckCertProfile, catalog.BasisSeed, "", msg)
	}
	k.Findings = structured
	return k, true
}

func decodeChain(field string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, b64 := range strings.Split(field, ",") {
		der, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, err
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// dedupe drops findings repeated across handshakes of the same case.
func dedupe(fs []certlint.Finding) []certlint.Finding {
	seen := map[string]bool{}
	var out []certlint.Finding
	for _, f := range fs {
		k := fmt.Sprintf("%s/%d/%s", f.Rule, f.Cert, f.Message)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

func uniq(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
