package est

import (
	"fmt"
	"time"
)

// Policy is when to re-enrol, in the terms of seed 002 §10.3.3.3
// (est_reenroll_config: nominal_usage, max_margin).
type Policy struct {
	// NominalUsage is the share of the time between provisioning and
	// expiry after which to re-enrol.
	NominalUsage float64
	// MaxMargin: re-enrol at the latest this long before expiry, unless
	// NominalUsage comes later.
	MaxMargin time.Duration
}

// DefaultPolicy is seed 002 §10.3.3.1: "/est/sren requests are issued 30
// days before the certificate expiration date, or after 90% of the time
// between its provisioning and expiration dates has passed, whichever is
// later".
var DefaultPolicy = Policy{NominalUsage: 0.9, MaxMargin: 30 * 24 * time.Hour}

// Validate reports a policy that cannot schedule anything.
func (p Policy) Validate() error {
	if p.NominalUsage <= 0 || p.NominalUsage > 1 {
		return fmt.Errorf("EST nominal usage %g: want a fraction in (0, 1]", p.NominalUsage)
	}
	if p.MaxMargin < 0 {
		return fmt.Errorf("EST max margin %s: must not be negative", p.MaxMargin)
	}
	return nil
}

// ReenrollAt is when a certificate provisioned at provisioned and
// expiring at notAfter is due for /sren: the later of notAfter-MaxMargin
// and provisioned+NominalUsage×(notAfter-provisioned).
func (p Policy) ReenrollAt(provisioned, notAfter time.Time) time.Time {
	byMargin := notAfter.Add(-p.MaxMargin)
	byUsage := provisioned.Add(time.Duration(float64(notAfter.Sub(provisioned)) * p.NominalUsage))
	if byMargin.After(byUsage) {
		return byMargin
	}
	return byUsage
}
