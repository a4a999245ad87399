package mutation

import (
	"os"
	"slices"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func load(t *testing.T) (PKI, []catalog.Case) {
	t.Helper()
	wd, _ := os.Getwd()
	root, ok := fixtures.Find(wd)
	if !ok {
		t.Fatal("fixtures not found")
	}
	fx, err := fixtures.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPKI(fx.Worlds)
	if err != nil {
		t.Fatal(err)
	}
	return p, fx.Catalogue.Select()
}

// The evaluator is written from the semantics table, the catalogue from
// the seeds: for the correct client they must agree on every cell, or
// no prediction built on the evaluator means anything.
func TestCorrectClientPassesEveryCase(t *testing.T) {
	p, cases := load(t)
	for _, c := range cases {
		if !Modelled(Behaviour{}, c) {
			continue
		}
		pr, err := Predict(p, Behaviour{}, c)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		want := verdict.Rejected
		if c.Expect == catalog.Accept {
			want = verdict.Accepted
		}
		if pr.Outcome != want || pr.Fails() {
			t.Errorf("%s: predicted %s with failed %v, table says %s", c.ID, pr.Outcome, pr.Failed, c.Expect)
		}
		if c.SUT.Mode == "cert" && c.EST == nil {
			if a, v, _ := p.decide(inputFor(c, Behaviour{})); a && v == c.Unvalidated {
				t.Errorf("%s: validated=%v, table unvalidated=%v", c.ID, v, c.Unvalidated)
			}
		}
	}
}

// Every fault flag of the client has a row, and no row names a fault the
// client does not have.
func TestTableCoversTheClientFaults(t *testing.T) {
	var client, table []string
	for _, f := range clientFaults() {
		client = append(client, f)
	}
	for _, f := range Table {
		table = append(table, f.Name)
	}
	slices.Sort(client)
	slices.Sort(table)
	if !slices.Equal(client, table) {
		t.Fatalf("client faults %v, table %v", client, table)
	}
}

func clientFaults() []string {
	var out []string
	for _, f := range client.KnownFaults() {
		out = append(out, string(f.Name))
	}
	return out
}

// A fault that fails nothing is a hole in the catalogue: no case shows the
// check it breaks can fail. Only a slow but correct client fails nothing.
func TestEveryFaultFailsSomeCase(t *testing.T) {
	p, cases := load(t)
	for _, f := range Table {
		exp, err := Expected(p, f.Does, cases)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, pr := range exp {
			if pr.Fails() {
				n++
			}
		}
		t.Logf("%s: %d cases must FAIL", f.Name, n)
		if (n == 0) != (f.Name == "slow") {
			t.Errorf("%s: %d cases must FAIL", f.Name, n)
		}
	}
}

func TestHostMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"localhost", "localhost", true},
		{"LocalHost", "localhost", true},
		{"*.example.test", "device.example.test", true},
		{"*.example.test", "a.b.example.test", false},
		{"*.example.test", "example.test", false},
		{"other.example.test", "localhost", false},
	} {
		if got := hostMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("hostMatch(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}
