package report

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// shardRun is shard i of 2 over the selection sni/a, sni/b, sni/c.
func shardRun(i int, started time.Time, wall time.Duration, ids ...string) ShardRun {
	r := Run{
		SUT: "reference", Started: started, Wall: wall, Labels: []string{"sni"},
		Catalogue: "sha256:c0ffee", Profile: Profile{Name: "reference", Hash: "sha256:beef"},
		Shard: &Shard{Index: i, Total: 2, Selection: []string{"sni/a", "sni/b", "sni/c"}},
	}
	for _, id := range ids {
		r.Results = append(r.Results, verdict.Result{Case: catalog.Case{ID: id, Area: "sni"}, Verdict: verdict.Pass})
	}
	return ShardRun{From: "shard" + string(rune('0'+i)), Run: r}
}

func resultIDs(rs []verdict.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Case.ID)
	}
	return out
}

func TestMergeOrdersBySelectionAndSpansTheShards(t *testing.T) {
	one := shardRun(1, t0.Add(2*time.Second), 10*time.Second, "sni/b")
	two := shardRun(2, t0, 5*time.Second, "sni/a", "sni/c")
	two.Run.Interrupted = "SIGTERM"
	m, err := Merge([]ShardRun{one, two})
	if err != nil {
		t.Fatal(err)
	}
	if got := resultIDs(m.Results); !reflect.DeepEqual(got, []string{"sni/a", "sni/b", "sni/c"}) {
		t.Errorf("results %v, want the selection's order", got)
	}
	if !m.Started.Equal(t0) || m.Wall != 12*time.Second {
		t.Errorf("started %v wall %v, want %v and 12s (to the end of shard 1)", m.Started, m.Wall, t0)
	}
	if m.Shard != nil || m.Catalogue != "sha256:c0ffee" || m.Profile.Name != "reference" || !reflect.DeepEqual(m.Labels, []string{"sni"}) {
		t.Errorf("merged identity: %+v", m)
	}
	want := []Shard{{Index: 1, Total: 2, Started: t0.Add(2 * time.Second), Wall: 10 * time.Second}, {Index: 2, Total: 2, Started: t0, Wall: 5 * time.Second}}
	if !reflect.DeepEqual(m.Merged, want) {
		t.Errorf("merged from %+v\nwant %+v", m.Merged, want)
	}
	if m.Interrupted != "SIGTERM in shard 2/2" {
		t.Errorf("interrupted %q", m.Interrupted)
	}
}

func TestMergeRefusesShardsOfDifferentRuns(t *testing.T) {
	otherCatalogue := shardRun(2, t0, time.Second, "sni/a", "sni/c")
	otherCatalogue.Run.Catalogue = "sha256:decaf"
	otherProfile := shardRun(2, t0, time.Second, "sni/a", "sni/c")
	otherProfile.Run.Profile.Hash = "sha256:feed"
	unsharded := shardRun(2, t0, time.Second, "sni/a", "sni/c")
	unsharded.Run.Shard = nil
	extra := shardRun(2, t0, time.Second, "sni/a", "sni/c", "sni/z")
	for name, tc := range map[string]struct {
		in   []ShardRun
		want string
	}{
		"catalogue": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b"), otherCatalogue},
			"merge: shard1 and shard2 come from different catalogue versions (sha256:c0ffee and sha256:decaf): shards of one run only"},
		"profile": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b"), otherProfile},
			"merge: shard1 and shard2 come from different SUT profiles (reference sha256:beef and reference sha256:feed): shards of one run only"},
		"missing shard": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b")},
			"merge: shard 2/2 missing: a merged report must cover the whole selection"},
		"shard twice": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b"), shardRun(1, t0, time.Second, "sni/b")},
			"merge: shard 1/2 given twice (shard1 and shard1)"},
		"not a shard": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b"), unsharded},
			"merge: shard2 is not a shard run (its results.json has no shard; run with --shard i/n)"},
		"case missing": {[]ShardRun{shardRun(1, t0, time.Second), shardRun(2, t0, time.Second, "sni/a", "sni/c")},
			"merge: case sni/b of the selection is in no shard's results"},
		"case twice": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b", "sni/a"), shardRun(2, t0, time.Second, "sni/a", "sni/c")},
			"merge: case sni/a is in shard1 and in shard2"},
		"case outside": {[]ShardRun{shardRun(1, t0, time.Second, "sni/b"), extra},
			"merge: case sni/z (shard2) is not in the selection the shards were cut from"},
		"nothing": {nil, "merge: no shard results given"},
	} {
		if _, err := Merge(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("%s:\ngot  %v\nwant %s", name, err, tc.want)
		}
	}
}

func TestCopyEvidenceIntoTheMergedReport(t *testing.T) {
	tmp := t.TempDir()
	shardDir := filepath.Join(tmp, "shard1")
	ev := filepath.Join(shardDir, "evidence", "sni", "b")
	if err := os.MkdirAll(ev, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ev, "events.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := shardRun(1, t0, time.Second, "sni/b")
	s.From = shardDir
	// Recorded on another machine: only the shard directory has it.
	s.Run.Results[0].EvidenceDir = "/ci/runner/work/reports/evidence/sni/b"
	m := Run{Results: slices.Clone(s.Run.Results)}
	out := filepath.Join(tmp, "merged")
	if err := CopyEvidence(out, []ShardRun{s}, &m); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(out, "evidence", "sni", "b")
	if m.Results[0].EvidenceDir != want {
		t.Errorf("evidence dir %q, want %q", m.Results[0].EvidenceDir, want)
	}
	if data, err := os.ReadFile(filepath.Join(want, "events.json")); err != nil || string(data) != "[]" {
		t.Errorf("copied events.json: %q, %v", data, err)
	}
}
