// Package lints holds the certificate lints of lwm2m-conform that zlint
// lacks: the properties seed 003 (OCF identity and role certificates) and
// seed 004 (LwM2M device certificates) ask for, written as zlint
// certificate lints under their own source so that a profile can pick them
// beside zlint's RFC 5280 lints. Each lint is generic and takes its values
// (curve, EKUs, years) from the profile through zlint's Configure(); the
// values of one run (endpoint name, account id, time) arrive the same way
// under the keys of Runtime.
package lints

import (
	"github.com/zmap/zlint/v3/lint"
)

// Source is the zlint lint source of every lint here; profiles may only
// name lints of this source or of RFC sources (see certlint).
const Source lint.LintSource = "lwm2m-conform"

// Prefix starts every lint name here, apart from zlint's e_/w_/n_ names.
const Prefix = "lc_"

// Runtime names the configuration keys a run fills in for every lint of
// this package; profiles cannot set them.
var Runtime = []string{"endpoint", "account", "now"}

func register(name, description, citation string, newLint func() lint.CertificateLintInterface) {
	lint.RegisterCertificateLint(&lint.CertificateLint{
		LintMetadata: lint.LintMetadata{
			Name:        name,
			Description: description,
			Citation:    citation,
			Source:      Source,
		},
		Lint: newLint,
	})
}

func pass() *lint.LintResult { return &lint.LintResult{Status: lint.Pass} }

// fail is a violation; certlint gives it the severity the profile chose.
func fail(details string) *lint.LintResult {
	return &lint.LintResult{Status: lint.Error, Details: details}
}

// unchecked says a run did not give what the lint compares against.
func unchecked(details string) *lint.LintResult {
	return &lint.LintResult{Status: lint.Notice, Details: "not checked: " + details}
}
