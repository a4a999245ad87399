package est

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Fault kinds: how the first answer to one operation misbehaves.
const (
	FaultWrongKey   = "wrong-key"       // a certificate for another public key than the CSR's
	FaultUnknownCA  = "unknown-ca"      // a certificate from a CA that /crts never named
	FaultExpired    = "expired"         // a certificate whose validity ended an hour ago
	FaultTruncated  = "truncated-pkcs7" // the body cut in half
	FaultEmpty      = "empty-pkcs7"     // a certs-only PKCS#7 without any certificate
	FaultWrongCF    = "wrong-cf"        // a good body labelled application/octet-stream (42)
	FaultBadRequest = "bad-request"     // 4.00 Bad Request
	FaultInternal   = "server-error"    // 5.00 Internal Server Error
	FaultRetryLater = "retry-later"     // 5.03 Service Unavailable with Max-Age (RFC 9148 §4.7)
)

// FaultKinds lists every fault.
var FaultKinds = []string{FaultWrongKey, FaultUnknownCA, FaultExpired, FaultTruncated, FaultEmpty,
	FaultWrongCF, FaultBadRequest, FaultInternal, FaultRetryLater}

// certFaults need an issued certificate: they apply to sen and sren only.
var certFaults = []string{FaultWrongKey, FaultUnknownCA, FaultExpired}

// DefaultMaxAge is the Max-Age of a retry-later answer unless the case
// says otherwise.
const DefaultMaxAge = 2 * time.Second

// Fault is a misbehaviour of the first answer to Op; the answers after it
// are good.
type Fault struct {
	Kind   string
	Op     string        // crts, sen or sren
	MaxAge time.Duration // retry-later only, whole seconds; 0 = DefaultMaxAge
}

func (f Fault) String() string {
	if f.Kind == "" {
		return "none"
	}
	s := f.Kind + " on the first " + f.Op
	if f.Kind == FaultRetryLater {
		s += fmt.Sprintf(" (Max-Age %d)", int(f.maxAge()/time.Second))
	}
	return s
}

func (f Fault) maxAge() time.Duration {
	if f.MaxAge > 0 {
		return f.MaxAge
	}
	return DefaultMaxAge
}

// Validate reports a fault that cannot be applied, in one line.
func (f Fault) Validate() error {
	if f.Kind == "" {
		return nil
	}
	if !slices.Contains(FaultKinds, f.Kind) {
		return fmt.Errorf("unknown EST fault %q (want one of %s)", f.Kind, strings.Join(FaultKinds, ", "))
	}
	if !slices.Contains([]string{opCrts, opSen, opSren}, f.Op) {
		return fmt.Errorf("EST fault %s: operation %q is not crts, sen or sren", f.Kind, f.Op)
	}
	if f.Op == opCrts && slices.Contains(certFaults, f.Kind) {
		return fmt.Errorf("EST fault %s applies to an issued certificate: sen or sren, not crts", f.Kind)
	}
	if f.MaxAge < 0 || f.MaxAge%time.Second != 0 {
		return fmt.Errorf("EST fault Max-Age %s: want whole seconds", f.MaxAge)
	}
	return nil
}
