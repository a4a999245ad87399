package lints

import (
	"fmt"
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_not_before_past", "notBefore is earlier than the time of the check.",
		"set by the profile", func() lint.CertificateLintInterface { return &notBeforePast{} })
	register("lc_validity_longer_than", "notAfter is more than the named number of calendar years after notBefore.",
		"set by the profile", func() lint.CertificateLintInterface { return &validityLonger{} })
}

type notBeforePast struct {
	Now int64 `toml:"now"` // Unix seconds; 0: the wall clock
}

func (l *notBeforePast) Configure() any                      { return l }
func (l *notBeforePast) CheckApplies(*x509.Certificate) bool { return true }
func (l *notBeforePast) Execute(c *x509.Certificate) *lint.LintResult {
	now := time.Now()
	if l.Now != 0 {
		now = time.Unix(l.Now, 0)
	}
	if !c.NotBefore.Before(now) {
		return fail(fmt.Sprintf("notBefore %s is not earlier than now (%s)", stamp(c.NotBefore), stamp(now)))
	}
	return pass()
}

type validityLonger struct {
	Years int `toml:"years"`
}

func (l *validityLonger) Configure() any                      { return l }
func (l *validityLonger) CheckApplies(*x509.Certificate) bool { return true }
func (l *validityLonger) Execute(c *x509.Certificate) *lint.LintResult {
	// Calendar years: "more than 10 years" is not met by 3650 days, which
	// fall two or three leap days short.
	limit := c.NotBefore.AddDate(l.Years, 0, 0)
	if !c.NotAfter.After(limit) {
		return fail(fmt.Sprintf("valid %s to %s: not more than %d years", stamp(c.NotBefore), stamp(c.NotAfter), l.Years))
	}
	return pass()
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
