package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// The harness stops the client as soon as a case is decided; that stop is
// not the client's failure, so a passing case's output carries no WARN
// about a Register cut short.
func TestHarnessStopIsNoClientWarning(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	wd, _ := os.Getwd()
	root, _ := fixtures.Find(wd)
	prof, err := sut.LoadProfile(filepath.Join(root, "sut", "reference-exec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{PKI: testPKI(t), Adapter: sut.NewExec(prof)}
	cases := testFixtures(t).Catalogue.Select("certusage")[:40]
	for _, res := range r.RunAll(context.Background(), cases, 4, nil) {
		if res.Verdict == verdict.Fail {
			t.Fatalf("%s: %s", res.Case.ID, res.Reason)
		}
		for _, line := range strings.Split(res.SUTOutput, "\n") {
			if strings.Contains(line, "level=WARN") && strings.Contains(line, `msg="Register failed"`) && strings.Contains(line, "context canceled") {
				t.Errorf("%s: %s", res.Case.ID, line)
			}
		}
	}
}
