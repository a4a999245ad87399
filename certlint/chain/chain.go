// Package chain holds the rules that look at a certificate chain as a
// whole (leaf first), which zlint's one-certificate lints cannot: how the
// certificates link, what issuers allow, and what the chain's depth and
// file encoding are. certlint runs them beside the zlint lints.
package chain

import (
	"sort"

	"github.com/zmap/zcrypto/x509"
)

// Input is one chain to check and what the run knows about it.
type Input struct {
	Certs []*x509.Certificate // leaf first, each followed by its issuer
	// Encoding is how the chain was stored: "pem", "der", or "" when it
	// did not come from a file (a handshake), where encoding means nothing.
	Encoding string
	MaxDepth int // 0: no maximum given
}

// Problem is one violation, or (Unchecked) a rule the input could not decide.
type Problem struct {
	Cert      int // index in Input.Certs
	Msg       string
	Unchecked bool
}

// Check is one chain rule.
type Check struct {
	Description string
	Run         func(Input) []Problem
}

var checks = map[string]Check{}

func register(name, description string, run func(Input) []Problem) {
	checks[name] = Check{Description: description, Run: run}
}

// Lookup returns the chain check of that name.
func Lookup(name string) (Check, bool) {
	c, ok := checks[name]
	return c, ok
}

// Names lists the chain checks, sorted.
func Names() []string {
	out := make([]string, 0, len(checks))
	for n := range checks {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
