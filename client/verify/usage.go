package verify

import (
	"fmt"
	"strings"
)

// Usage is the LwM2M Certificate Usage resource value (RFC 6698 §2.1.1).
type Usage int

const (
	PKIXTA Usage = 0  // CA constraint: PKIX, and the Server Public Key is a CA in the path
	PKIXEE Usage = 1  // service certificate constraint: PKIX, and the leaf is the Server Public Key
	DANETA Usage = 2  // trust anchor assertion: the Server Public Key anchors the presented chain
	DANEEE Usage = 3  // domain-issued certificate: the leaf is the Server Public Key
	Unset  Usage = -1 // resource absent (LwM2M 1.0, or not configured): behaves as DANEEE
)

// String gives the number and name, e.g. "2 DANE-TA" or "unset (DANE-EE)".
func (u Usage) String() string {
	switch u {
	case PKIXTA:
		return "0 PKIX-TA"
	case PKIXEE:
		return "1 PKIX-EE"
	case DANETA:
		return "2 DANE-TA"
	case DANEEE:
		return "3 DANE-EE"
	case Unset:
		return "unset (DANE-EE)"
	}
	return fmt.Sprintf("unknown certificate usage %d", int(u))
}

// valid reports whether u is one of the five defined values.
func (u Usage) valid() bool { return u >= Unset && u <= DANEEE }

// effective is the usage whose rules apply: unset behaves as DANE-EE.
func (u Usage) effective() Usage {
	if u == Unset {
		return DANEEE
	}
	return u
}

// slug is the lower-case name used as the first part of Decision.Rule.
func (u Usage) slug() string {
	switch u.effective() {
	case PKIXTA:
		return "pkix-ta"
	case PKIXEE:
		return "pkix-ee"
	case DANETA:
		return "dane-ta"
	case DANEEE:
		return "dane-ee"
	}
	return "input"
}

// usageNames maps every accepted spelling (lower case) to its value; the
// String forms are included so that ParseUsage(u.String()) == u.
var usageNames = map[string]Usage{
	"0": PKIXTA, "pkix-ta": PKIXTA, "0 pkix-ta": PKIXTA,
	"1": PKIXEE, "pkix-ee": PKIXEE, "1 pkix-ee": PKIXEE,
	"2": DANETA, "dane-ta": DANETA, "2 dane-ta": DANETA,
	"3": DANEEE, "dane-ee": DANEEE, "3 dane-ee": DANEEE,
	"": Unset, "unset": Unset, "unset (dane-ee)": Unset,
}

// ParseUsage reads a usage written as a number ("0".."3"), a name
// ("pkix-ta", "pkix-ee", "dane-ta", "dane-ee", any case) or "unset"/"".
func ParseUsage(s string) (Usage, error) {
	if u, ok := usageNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return u, nil
	}
	return 0, fmt.Errorf("unknown certificate usage %q: want 0..3, pkix-ta, pkix-ee, dane-ta, dane-ee, or unset", s)
}
