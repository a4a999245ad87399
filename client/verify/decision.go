package verify

import (
	"fmt"
	"strings"
)

// Decision is the verdict on one presented chain.
type Decision struct {
	Accept bool
	// Validated is false only when the server was accepted without any
	// validation (usage 2/3, empty Server Public Key, no trust store).
	Validated bool
	// Reason is one line a person understands: which rule decided, and the
	// underlying x509 error if any.
	Reason string
	// Rule is a short stable identifier of the deciding rule, e.g.
	// "pkix-ta/spk-not-in-trust-store".
	Rule string
}

func accepted(rule, format string, args ...any) Decision {
	return Decision{Accept: true, Validated: true, Rule: rule, Reason: oneLine("accepted: " + fmt.Sprintf(format, args...))}
}

func rejected(rule, format string, args ...any) Decision {
	return Decision{Rule: rule, Reason: oneLine("rejected: " + fmt.Sprintf(format, args...))}
}

// oneLine keeps Reason on a single line whatever the wrapped errors contain.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
