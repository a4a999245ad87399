package mutation

import (
	"slices"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Each EST fault fails exactly these est cases, with these checks; the
// rest of the area passes with the table's outcome.
func TestESTFaultPredictions(t *testing.T) {
	p, cases := load(t)
	for name, want := range map[string]map[string]string{
		"est-reuse-bootstrap-key": {"est/csr/form": "accepted: est-fresh-key"},
		"est-ignore-crts":         {"est/trust/outside-crts": "accepted: decision"},
		"est-new-subject":         {"est/reenroll/timing": "accepted: est-sren-subject"},
	} {
		f, _ := Lookup(name)
		exp, err := Expected(p, f.Does, cases)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for id, pr := range exp {
			if pr.Fails() {
				got[id] = string(pr.Outcome) + ": " + strings.Join(pr.Failed, "+")
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: FAIL on %v, want %v", name, got, want)
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: %s predicted %q, want %q", name, id, got[id], w)
			}
		}
	}
	f, _ := Lookup("est-before-finish")
	exp, err := Expected(p, f.Does, cases)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, pr := range exp {
		if !strings.HasPrefix(id, "est/") {
			if pr.Fails() {
				t.Errorf("est-before-finish fails %s outside the est area", id)
			}
			continue
		}
		n++
		want := verdict.Accepted
		if strings.HasPrefix(id, "est/refuse/") || id == "est/trust/outside-crts" {
			want = verdict.Rejected
		}
		if pr.Outcome != want || !slices.Equal(pr.Failed, []string{"est-order"}) {
			t.Errorf("est-before-finish: %s predicted %s %v, want %s [est-order]", id, pr.Outcome, pr.Failed, want)
		}
	}
	if n != 23 {
		t.Errorf("est-before-finish: %d est cases predicted, want 23", n)
	}
}

// The other faults' effect on a mode 4 client is not predicted: their
// est cases are not modelled.
func TestESTCasesModelledOnlyForESTFaults(t *testing.T) {
	_, cases := load(t)
	i := slices.IndexFunc(cases, func(c catalog.Case) bool { return c.EST != nil })
	c := cases[i]
	for _, f := range Table {
		want := f.Name == "slow" || strings.HasPrefix(f.Name, "est-")
		if got := Modelled(f.Does, c); got != want {
			t.Errorf("%s: est case modelled %v", f.Name, got)
		}
	}
}
