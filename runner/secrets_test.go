package runner

import (
	"bytes"
	"context"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// harnessBinary is $LWM2M_CONFORM_BIN, else lwm2m-conform built into a
// temporary directory.
func harnessBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(sut.HarnessEnv); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "lwm2m-conform")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lwm2m-conform")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// PSK cases run through the reference-exec profile, which passes the key
// on the command line, leave the key in psk.key (0600) and in no report
// file; the files with session secrets are the owner's only.
func TestPSKNeverInReportFiles(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	wd, _ := os.Getwd()
	root, _ := fixtures.Find(wd)
	prof, err := sut.LoadProfile(filepath.Join(root, "sut", "reference-exec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := &Runner{PKI: testPKI(t), Adapter: sut.NewExec(prof), EvidenceRoot: filepath.Join(out, "evidence"), Verbose: true}
	var results []verdict.Result
	var keys [][]byte
	for _, id := range []string{"psk/key-len-32", "psk/wrong-key"} {
		c, ok := testFixtures(t).Catalogue.Get(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		res := r.Run(context.Background(), c)
		if res.Verdict != verdict.Pass {
			t.Fatalf("%s: %s %s", id, res.Verdict, res.Reason)
		}
		note := "--psk-key=<redacted, see " + filepath.Join(res.EvidenceDir, sut.PSKKeyFile) + " (0600)>"
		if !strings.Contains(res.SUTCommand, note) {
			t.Errorf("%s: command line %s\nlacks %s", id, res.SUTCommand, note)
		}
		for _, name := range []string{sut.PSKKeyFile, keyLogFile, sutKeyLogFile, captureFile} {
			if st, err := os.Stat(filepath.Join(res.EvidenceDir, name)); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s: %v, mode %v", id, name, err, st.Mode().Perm())
			}
		}
		keys = append(keys, catalog.PSKKey(c.SUT.PSKKeyLen, c.SUT.PSKWrongKey), catalog.PSKKey(c.Peer.PSKKeyLen, false))
		results = append(results, res)
	}
	if err := report.WriteAll(out, report.Run{SUT: prof.Name, Results: results}); err != nil {
		t.Fatal(err)
	}
	var checked []string
	inKeyFiles := map[string]bool{}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checked = append(checked, filepath.Base(path))
		for _, k := range keys {
			for _, form := range []string{hex.EncodeToString(k), strings.ToUpper(hex.EncodeToString(k))} {
				if !bytes.Contains(data, []byte(form)) {
					continue
				}
				if st, _ := d.Info(); d.Name() != sut.PSKKeyFile || st.Mode().Perm() != 0o600 {
					t.Errorf("%s (mode %v) holds the key %s", path, st.Mode().Perm(), form)
				} else {
					inKeyFiles[path] = true
				}
			}
		}
		return nil
	})
	if len(inKeyFiles) != 2 {
		t.Errorf("the SUT's key found in %v, want one psk.key per case", inKeyFiles)
	}
	for _, want := range []string{"junit.xml", "results.json", "events.json", "summary.md", "sut-output.log", "index.html"} {
		if !strings.Contains(" "+strings.Join(checked, " ")+" ", " "+want+" ") {
			t.Errorf("no %s among the files checked: %v", want, checked)
		}
	}
}
