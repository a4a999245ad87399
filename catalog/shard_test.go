package catalog

import (
	"reflect"
	"slices"
	"testing"
)

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/3"); err != nil || s != (Shard{2, 3}) || s.String() != "2/3" {
		t.Errorf("2/3: %v %v", s, err)
	}
	for _, bad := range []string{"0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""} {
		_, err := ParseShard(bad)
		if err == nil || err.Error() != "want i/n with 1 ≤ i ≤ n, e.g. 2/3" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestCost(t *testing.T) {
	for _, tc := range []struct {
		c    Case
		want int
	}{
		{Case{ID: "plain"}, 1},
		{Case{ID: "loss", Impair: &Impairment{Loss: 0.2}}, 11},
		{Case{ID: "reboot", Scenario: "reboot"}, 11},
		{Case{ID: "rebind", Scenario: "rebind", Impair: &Impairment{}}, 51},
	} {
		if got := Cost(tc.c); got != tc.want {
			t.Errorf("%s: cost %d, want %d", tc.c.ID, got, tc.want)
		}
	}
}

// Costs 51, 11, 11 and five plain cases over two shards: the rebind case
// alone outweighs the rest, so shard 1 holds it and shard 2 everything else.
func TestShardPartitionIsBalancedAndOrderFree(t *testing.T) {
	cases := []Case{
		{ID: "a/1"}, {ID: "a/2"}, {ID: "cid/rebind", Scenario: "rebind", Impair: &Impairment{}},
		{ID: "a/3"}, {ID: "loss/x", Impair: &Impairment{Loss: 0.4}}, {ID: "a/4"},
		{ID: "res/reboot", Scenario: "reboot"}, {ID: "a/5"},
	}
	one := ids(Shard{1, 2}.Of(cases))
	two := ids(Shard{2, 2}.Of(cases))
	if want := []string{"cid/rebind"}; !reflect.DeepEqual(one, want) {
		t.Errorf("shard 1/2 = %v, want %v", one, want)
	}
	if want := []string{"a/1", "a/2", "a/3", "loss/x", "a/4", "res/reboot", "a/5"}; !reflect.DeepEqual(two, want) {
		t.Errorf("shard 2/2 = %v, want %v (in the given order)", two, want)
	}
	// Three shards: 51 | 11+1+1+1 | 11+1+1 — every case exactly once.
	var all []string
	for i := 1; i <= 3; i++ {
		all = append(all, ids(Shard{i, 3}.Of(cases))...)
	}
	slices.Sort(all)
	if want := []string{"a/1", "a/2", "a/3", "a/4", "a/5", "cid/rebind", "loss/x", "res/reboot"}; !reflect.DeepEqual(all, want) {
		t.Errorf("shards of 3 together = %v", all)
	}
	if got, want := ids(Shard{2, 3}.Of(cases)), []string{"a/1", "a/3", "loss/x", "a/5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("shard 2/3 = %v, want %v", got, want)
	}
	// The same partition whatever order the cases come in.
	rev := slices.Clone(cases)
	slices.Reverse(rev)
	got := ids(Shard{2, 3}.Of(rev))
	slices.Sort(got)
	if want := []string{"a/1", "a/3", "a/5", "loss/x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("shard 2/3 of the reversed list = %v, want %v", got, want)
	}
}
