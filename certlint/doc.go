// Package certlint checks certificate chains against certificate profiles:
// YAML files (fixtures/certprofiles, built in) whose rules each name a
// check, a severity (error, warn, notice), a basis (seed, rfc,
// implementation), a source and the sentence the rule comes from.
//
// A check is a zlint v3 certificate lint (zlint's RFC 5280 lints, or the
// lc_ lints of certlint/lints, registered under their own lint source and
// configured through zlint's Configure) run on the leaf, on the issuers or
// on all certificates; or a chain_ check of certlint/chain, which sees the
// whole chain. CA/Browser Forum and root-program lints are refused.
//
// The run engine lints every chain a SUT presents:
//
//	p, err := certlint.Load("lwm2m-device") // or a .yaml file
//	findings := p.Lint(chain, certlint.Params{Endpoint: ep, Account: acct, MaxDepth: 3})
//
// chain is []*x509.Certificate from the standard library, leaf first.
// Each Finding names its Rule, Severity, Source and Message and the index
// of the certificate (Cert, 0 = leaf). A rule a run gave no value for (no
// endpoint name) reports a notice; Worst gives a run's worst severity.
// Profiles are safe for concurrent use. LintDER takes DER bytes instead.
package certlint
