package lints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_eku_includes", "The extendedKeyUsage extension is present and lists every named usage.",
		"set by the profile", func() lint.CertificateLintInterface { return &ekuIncludes{} })
	register("lc_eku_at_most_one", "The extendedKeyUsage extension lists at most one of the named usages.",
		"set by the profile", func() lint.CertificateLintInterface { return &ekuAtMostOne{} })
	register("lc_eku_excludes", "The extendedKeyUsage extension, if present, lists none of the named usages.",
		"set by the profile", func() lint.CertificateLintInterface { return &ekuExcludes{} })
}

// ekuList is the common configuration: usages by name or dotted OID.
type ekuList struct {
	EKUs []string `toml:"ekus"`
}

func (l *ekuList) Configure() any                      { return l }
func (l *ekuList) CheckApplies(*x509.Certificate) bool { return true }

// split reads the certificate's EKUs and sorts the named ones into those
// it has and those it lacks.
func (l *ekuList) split(c *x509.Certificate) (has, lacks []string, present bool, res *lint.LintResult) {
	oids, present, err := EKUs(c)
	if err != nil {
		return nil, nil, true, fail("unparseable extendedKeyUsage extension: " + err.Error())
	}
	for _, name := range l.EKUs {
		oid, err := EKUOID(name)
		if err != nil {
			return nil, nil, present, &lint.LintResult{Status: lint.Fatal, Details: err.Error()}
		}
		if slices.Contains(oids, oid) {
			has = append(has, name)
		} else {
			lacks = append(lacks, name)
		}
	}
	return has, lacks, present, nil
}

type ekuIncludes struct{ ekuList }

func (l *ekuIncludes) Execute(c *x509.Certificate) *lint.LintResult {
	_, lacks, present, res := l.split(c)
	switch {
	case res != nil:
		return res
	case !present:
		return fail("no extendedKeyUsage extension (want " + strings.Join(l.EKUs, ", ") + ")")
	case len(lacks) > 0:
		return fail("extendedKeyUsage lacks " + strings.Join(lacks, ", "))
	}
	return pass()
}

type ekuAtMostOne struct{ ekuList }

func (l *ekuAtMostOne) Execute(c *x509.Certificate) *lint.LintResult {
	has, _, _, res := l.split(c)
	if res != nil {
		return res
	}
	if len(has) > 1 {
		return fail(fmt.Sprintf("extendedKeyUsage lists %s together (at most one allowed)", strings.Join(has, " and ")))
	}
	return pass()
}

type ekuExcludes struct{ ekuList }

func (l *ekuExcludes) Execute(c *x509.Certificate) *lint.LintResult {
	has, _, _, res := l.split(c)
	if res != nil {
		return res
	}
	if len(has) > 0 {
		return fail("extendedKeyUsage lists " + strings.Join(has, ", "))
	}
	return pass()
}

// Validate rejects names that are neither known usages nor OIDs.
func (l *ekuList) Validate() error {
	for _, n := range l.EKUs {
		if _, err := EKUOID(n); err != nil {
			return err
		}
	}
	return nil
}
