package lints

import (
	"fmt"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_serial_octets", "The serial number is at least the named number of octets long, as a random one of 64 bits or more almost always is.",
		"set by the profile", func() lint.CertificateLintInterface { return &serialOctets{MinOctets: 8} })
}

// serialOctets cannot measure entropy; it flags serials too short to
// carry it. A uniformly random 64-bit serial is shorter than 8 octets
// with probability 1/256, so a finding is a hint, not proof.
type serialOctets struct {
	MinOctets int `toml:"min_octets"`
}

func (l *serialOctets) Configure() any                      { return l }
func (l *serialOctets) CheckApplies(*x509.Certificate) bool { return true }
func (l *serialOctets) Execute(c *x509.Certificate) *lint.LintResult {
	if c.SerialNumber == nil {
		return fail("no serial number")
	}
	if n := len(c.SerialNumber.Bytes()); n < l.MinOctets {
		return fail(fmt.Sprintf("serial number %s is %d octets long (want at least %d of random data)", c.SerialNumber.Text(16), n, l.MinOctets))
	}
	return pass()
}
