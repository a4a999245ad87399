package lints

import (
	"fmt"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_san_role", "The subjectAltName extension holds a directoryName whose CN is the role id and whose OU, if present, is the authority.",
		"set by the profile", func() lint.CertificateLintInterface { return &sanRole{} })
}

type sanRole struct{}

func (l *sanRole) CheckApplies(*x509.Certificate) bool { return true }
func (l *sanRole) Execute(c *x509.Certificate) *lint.LintResult {
	if _, ok := extension(c, oidSAN); !ok {
		return fail("no subjectAltName extension (want a directoryName naming the role)")
	}
	if len(c.DirectoryNames) == 0 {
		return fail("subjectAltName has no directoryName (want one naming the role)")
	}
	for i, dn := range c.DirectoryNames {
		// One roleId and at most one authority, or the role is ambiguous.
		if len(dn.CommonNames) != 1 || dn.CommonNames[0] == "" {
			return fail(fmt.Sprintf("directoryName %d has %d CN values (want one role id)", i+1, len(dn.CommonNames)))
		}
		if len(dn.OrganizationalUnit) > 1 {
			return fail(fmt.Sprintf("directoryName %d has %d OU values (want at most one authority)", i+1, len(dn.OrganizationalUnit)))
		}
	}
	return pass()
}
