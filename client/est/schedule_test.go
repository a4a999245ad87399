package est

import (
	"testing"
	"time"
)

// Seed 002 §10.3.3.1: sren "30 days before the certificate expiration
// date, or after 90% of the time between its provisioning and expiration
// dates has passed, whichever is later"; §10.3.3.3 makes both
// configurable (nominal_usage, max_margin).
func TestReenrollAt(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		p        Policy
		validity time.Duration
		want     time.Duration // after t0
	}{
		{"10 s certificate: 90 % wins", DefaultPolicy, 10 * time.Second, 9 * time.Second},
		{"one year: 30 days before expiry wins", DefaultPolicy, 365 * day, 335 * day},
		{"60 days: 90 % wins", DefaultPolicy, 60 * day, 54 * day},
		{"seed example 0.8 / 7 days, 30 days", Policy{NominalUsage: 0.8, MaxMargin: 7 * day}, 30 * day, 24 * day},
		{"seed example 0.8 / 7 days, 1 year", Policy{NominalUsage: 0.8, MaxMargin: 7 * day}, 365 * day, 358 * day},
	} {
		got := tc.p.ReenrollAt(t0, t0.Add(tc.validity)).Sub(t0)
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, bad := range []Policy{{NominalUsage: 0}, {NominalUsage: 1.5}, {NominalUsage: 0.9, MaxMargin: -time.Second}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if DefaultPolicy.Validate() != nil {
		t.Error("default policy refused")
	}
}
