package verify

import (
	"strings"
	"testing"
)

func TestUsageString(t *testing.T) {
	want := map[Usage]string{
		PKIXTA: "0 PKIX-TA",
		PKIXEE: "1 PKIX-EE",
		DANETA: "2 DANE-TA",
		DANEEE: "3 DANE-EE",
		Unset:  "unset (DANE-EE)",
		9:      "unknown certificate usage 9",
	}
	for u, s := range want {
		if got := u.String(); got != s {
			t.Errorf("Usage(%d).String() = %q, want %q", int(u), got, s)
		}
	}
}

func TestParseUsage(t *testing.T) {
	good := map[string]Usage{
		"0": PKIXTA, "1": PKIXEE, "2": DANETA, "3": DANEEE,
		"pkix-ta": PKIXTA, "PKIX-EE": PKIXEE, "Dane-TA": DANETA, " dane-ee ": DANEEE,
		"unset": Unset, "": Unset, "UNSET": Unset,
	}
	for s, want := range good {
		got, err := ParseUsage(s)
		if err != nil || got != want {
			t.Errorf("ParseUsage(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, u := range []Usage{PKIXTA, PKIXEE, DANETA, DANEEE, Unset} {
		if got, err := ParseUsage(u.String()); err != nil || got != u {
			t.Errorf("ParseUsage(%q) = %v, %v; want round trip", u.String(), got, err)
		}
	}
	for _, s := range []string{"4", "-1", "pkix", "dane_ee", "0x1", "3 dane-ta", "none"} {
		_, err := ParseUsage(s)
		if err == nil {
			t.Errorf("ParseUsage(%q) succeeded", s)
			continue
		}
		if !strings.Contains(err.Error(), "unknown certificate usage") || !strings.Contains(err.Error(), s) {
			t.Errorf("ParseUsage(%q) error %q does not name the input", s, err)
		}
	}
}
