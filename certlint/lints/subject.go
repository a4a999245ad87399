package lints

import (
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_subject_cn", "The subject has exactly one commonName and it is the endpoint name of the run.",
		"set by the profile", func() lint.CertificateLintInterface { return &subjectCN{} })
	register("lc_subject_ou", "The subject has exactly one organizationalUnitName and it is the account id of the run.",
		"set by the profile", func() lint.CertificateLintInterface { return &subjectOU{} })
}

type subjectCN struct {
	Endpoint string `toml:"endpoint"`
}

func (l *subjectCN) Configure() any                      { return l }
func (l *subjectCN) CheckApplies(*x509.Certificate) bool { return true }
func (l *subjectCN) Execute(c *x509.Certificate) *lint.LintResult {
	return oneValue("CN", c.Subject.CommonNames, l.Endpoint, "endpoint name")
}

type subjectOU struct {
	Account string `toml:"account"`
}

func (l *subjectOU) Configure() any                      { return l }
func (l *subjectOU) CheckApplies(*x509.Certificate) bool { return true }
func (l *subjectOU) Execute(c *x509.Certificate) *lint.LintResult {
	// Seed 004 ties the OU to an account only where one is configured.
	if l.Account == "" {
		return &lint.LintResult{Status: lint.NA}
	}
	return oneValue("OU", c.Subject.OrganizationalUnit, l.Account, "account id")
}

// oneValue wants exactly one attribute value equal to want; without want
// it still checks there is one, and says the comparison was not made.
func oneValue(attr string, got []string, want, what string) *lint.LintResult {
	switch {
	case len(got) == 0:
		return fail(fmt.Sprintf("subject has no %s (want the %s)", attr, what))
	case len(got) > 1:
		return fail(fmt.Sprintf("subject has %d %s values %q (want one)", len(got), attr, strings.Join(got, ", ")))
	case want == "":
		return unchecked(fmt.Sprintf("subject %s %q not compared: no %s given", attr, got[0], what))
	case got[0] != want:
		return fail(fmt.Sprintf("subject %s %q is not the %s %q", attr, got[0], what, want))
	}
	return pass()
}
