package lints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_key_usage_exact", "The keyUsage extension is present and asserts exactly the named bits.",
		"set by the profile", func() lint.CertificateLintInterface { return &keyUsageExact{} })
}

type keyUsageExact struct {
	Usages []string `toml:"usages"`
}

func (l *keyUsageExact) Configure() any                      { return l }
func (l *keyUsageExact) CheckApplies(*x509.Certificate) bool { return true }
func (l *keyUsageExact) Execute(c *x509.Certificate) *lint.LintResult {
	if _, ok := extension(c, oidKeyUsage); !ok {
		return fail("no keyUsage extension (want " + strings.Join(l.Usages, ", ") + ")")
	}
	var got []string
	for i, name := range keyUsageBits {
		if c.KeyUsage&(1<<i) != 0 {
			got = append(got, name)
		}
	}
	want := slices.Clone(l.Usages)
	slices.Sort(want)
	have := slices.Clone(got)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		return fail(fmt.Sprintf("keyUsage is %s, want exactly %s", strings.Join(got, ", "), strings.Join(l.Usages, ", ")))
	}
	return pass()
}

// Validate rejects names that are not keyUsage bits.
func (l *keyUsageExact) Validate() error {
	for _, n := range l.Usages {
		if !slices.Contains(keyUsageBits, n) {
			return fmt.Errorf("unknown key usage %q (want %s)", n, strings.Join(keyUsageBits, ", "))
		}
	}
	return nil
}
