package catalog

import (
	"strings"
	"testing"
)

func TestHashFollowsTheCases(t *testing.T) {
	a := []Case{{ID: "sni/x", Area: "sni", Expect: Accept}, {ID: "sni/y", Area: "sni", Expect: Reject}}
	b := []Case{{ID: "sni/x", Area: "sni", Expect: Accept}, {ID: "sni/y", Area: "sni", Expect: Reject}}
	h := Hash(a)
	if !strings.HasPrefix(h, "sha256:") || len(h) != len("sha256:")+64 {
		t.Fatalf("hash %q is not sha256:<64 hex digits>", h)
	}
	if Hash(b) != h {
		t.Error("equal catalogues hash differently")
	}
	b[1].Expect = Accept
	if Hash(b) == h {
		t.Error("a changed expectation keeps the hash")
	}
	if Hash(a[:1]) == h {
		t.Error("a removed case keeps the hash")
	}
}
