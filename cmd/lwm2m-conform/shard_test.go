package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// comparable reads a results.json and drops what differs between two
// runs of the same cases: timings and durations, the event logs and SUT
// output (ports, timestamps), the ports in details, where the report
// directory is, and the shard provenance.
func comparable(t *testing.T, dir string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"started", "wall", "shard", "merged"} {
		delete(doc, k)
	}
	port := regexp.MustCompile(`:\d+`)
	for _, r := range doc["results"].([]any) {
		res := r.(map[string]any)
		for _, k := range []string{"duration", "events", "sut_output", "sut_command"} {
			delete(res, k)
		}
		obs := res["observation"].(map[string]any)
		delete(obs, "decided_at")
		if d, ok := obs["detail"].(string); ok {
			obs["detail"] = port.ReplaceAllString(d, ":PORT")
		}
		if ev, ok := res["evidence_dir"].(string); ok {
			res["evidence_dir"] = strings.TrimPrefix(ev, dir)
		}
	}
	return doc
}

// Three shards of the sni cases, merged, give the results of one run.
func TestShardedRunsMergeToTheUnshardedResults(t *testing.T) {
	tmp := t.TempDir()
	dir := func(name string) string { return filepath.Join(tmp, name) }
	var sizes []int
	for _, s := range []string{"1", "2", "3"} {
		code, _, stderr := runCLI(t, "run", "--label", "sni", "--shard", s+"/3", "--parallel", "2", "--out", dir("shard"+s))
		if code != 0 {
			t.Fatalf("shard %s/3: exit %d\n%s", s, code, stderr)
		}
		var doc struct {
			Results []any
			Shard   struct{ Index, Total int }
		}
		data, _ := os.ReadFile(filepath.Join(dir("shard"+s), "results.json"))
		if err := json.Unmarshal(data, &doc); err != nil || doc.Shard.Total != 3 {
			t.Fatalf("shard %s/3 results.json: %v, shard %+v", s, err, doc.Shard)
		}
		sizes = append(sizes, len(doc.Results))
	}
	if !reflect.DeepEqual(sizes, []int{16, 16, 16}) {
		t.Errorf("shard sizes %v, want 16 each (48 plain cases)", sizes)
	}
	if code, _, stderr := runCLI(t, "run", "--label", "sni", "--parallel", "2", "--out", dir("whole")); code != 0 {
		t.Fatalf("unsharded run: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "report", "merge", "--out", dir("merged"), dir("shard1"), dir("shard2"), dir("shard3"))
	if code != 0 || stdout != "merged 3 shards, 48 cases: "+dir("merged")+"\n" {
		t.Fatalf("merge: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"junit.xml", "summary.md", "index.html"} {
		if _, err := os.Stat(filepath.Join(dir("merged"), f)); err != nil {
			t.Errorf("merged report lacks %s", f)
		}
	}
	whole, merged := comparable(t, dir("whole")), comparable(t, dir("merged"))
	if !reflect.DeepEqual(whole, merged) {
		a, _ := json.MarshalIndent(whole, "", " ")
		b, _ := json.MarshalIndent(merged, "", " ")
		t.Errorf("merged results differ from one run's:\n%s", firstDiff(string(a), string(b)))
	}
	if _, err := os.Stat(filepath.Join(dir("merged"), "evidence", "sni", "san-dns-match", "u0", "events.json")); err != nil {
		t.Errorf("evidence not copied into the merged report: %v", err)
	}
}

// A shard of another profile is refused, naming both.
func TestMergeRefusesAnotherProfilesShard(t *testing.T) {
	tmp := t.TempDir()
	for _, s := range []string{"1", "2"} {
		if code, _, stderr := runCLI(t, "run", "--label-filter", "ciphers", "--shard", s+"/2", "--out", filepath.Join(tmp, s)); code != 0 {
			t.Fatalf("shard %s/2: exit %d\n%s", s, code, stderr)
		}
	}
	path := filepath.Join(tmp, "2", "results.json")
	data, _ := os.ReadFile(path)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["profile"] = map[string]any{"name": "other", "hash": "sha256:0"}
	data, _ = json.Marshal(doc)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "report", "merge", "--out", filepath.Join(tmp, "m"), filepath.Join(tmp, "1"), filepath.Join(tmp, "2"))
	if code != 2 || !strings.Contains(stderr, "come from different SUT profiles (reference sha256:") || !strings.Contains(stderr, "and other sha256:0)") {
		t.Errorf("exit %d, stderr %q; want 2 and the two profiles named", code, stderr)
	}
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			lo := max(0, i-3)
			return strings.Join(al[lo:min(len(al), i+3)], "\n") + "\n---\n" + strings.Join(bl[lo:min(len(bl), i+3)], "\n")
		}
	}
	return "(one is a prefix of the other)"
}
