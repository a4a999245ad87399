package report

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWriteAllWritesEveryReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports", "run1")
	r := handRun()
	if err := WriteAll(dir, r); err != nil {
		t.Fatalf("WriteAll: %v", err)
	}
	for _, f := range []string{"junit.xml", "index.html", "summary.md", "results.json"} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	var doc xSuites
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(dir, "junit.xml"))), &doc); err != nil || doc.Tests != len(r.Results) {
		t.Errorf("junit.xml: err=%v tests=%d", err, doc.Tests)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "summary.md")), "## Failures (2)") {
		t.Error("summary.md lacks the failures")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestResultsJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := handRun()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := ReadJSON(f)
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip changed the run:\n got %+v\nwant %+v", back, r)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "results.json")), `"FAIL": 2`) {
		t.Error("results.json lacks the totals")
	}
}

func TestReadJSONRejectsGarbage(t *testing.T) {
	if _, err := ReadJSON(strings.NewReader("{not json")); err == nil {
		t.Error("garbage accepted")
	}
}

func TestWriteAllReportsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(filepath.Join(file, "sub"), handRun()); err == nil {
		t.Error("writing under a regular file succeeded")
	}
}
