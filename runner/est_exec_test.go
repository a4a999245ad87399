package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// An exec profile naming {{.Bootstrap}} runs the est cases: the shipped
// reference-exec profile enrols and registers, started with --bootstrap and
// the bootstrap account's files; each server's capture is evidence.
func TestESTThroughExecProfile(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	r := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, "../fixtures/sut/reference-exec.yaml"), EvidenceRoot: t.TempDir()}
	res := r.RunAll(context.Background(), estCases(t, "est/enroll/after-finish", "est/restart/no-new-enroll"), 2, nil)
	for _, got := range res {
		if got.Verdict != verdict.Pass || got.Observation.Outcome != verdict.Accepted {
			t.Errorf("%s: %s %s\n%s", got.Case.ID, got.Verdict, got.Reason, got.SUTOutput)
		}
		for _, flag := range []string{" --bootstrap ", " --server=coaps://localhost:", " --cert=", " --server-cert=", " --est-nominal-usage=0.9 ", " --est-max-margin=720h "} {
			if !strings.Contains(got.SUTCommand, flag) {
				t.Errorf("%s: command %q lacks %q", got.Case.ID, got.SUTCommand, flag)
			}
		}
		for _, f := range []string{captureFile, lwm2mCaptureFile} {
			if fi, err := os.Stat(filepath.Join(got.EvidenceDir, f)); err != nil || fi.Size() == 0 {
				t.Errorf("%s: capture %s: %v", got.Case.ID, f, err)
			}
		}
	}
	if !strings.Contains(res[1].SUTCommand, "--est-state="+filepath.Join(res[1].EvidenceDir, "state.json.est")) {
		t.Errorf("restart case without its EST state file: %s", res[1].SUTCommand)
	}
}

// A profile that does not name {{.Bootstrap}} cannot start its client from
// a bootstrap account: the est cases are skipped, saying so.
func TestESTExecProfileWithoutBootstrapIsSkipped(t *testing.T) {
	data, err := os.ReadFile("../fixtures/sut/reference-exec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), `  - "{{if .Bootstrap}}--bootstrap{{end}}"`+"\n", "", 1)
	if yaml == string(data) {
		t.Fatal("reference-exec.yaml no longer names {{.Bootstrap}} as this test expects")
	}
	path := filepath.Join(t.TempDir(), "no-bootstrap.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, path)}
	res := r.Run(context.Background(), estCases(t, "est/enroll/after-finish")[0])
	if res.Verdict != verdict.Skip || !strings.Contains(res.Reason, "certificate-mode bootstrap account") || !strings.Contains(res.Reason, "{{.Bootstrap}}") {
		t.Fatalf("%s %q", res.Verdict, res.Reason)
	}
}

// The shipped reference-bootstrap profile: the client starts knowing only
// the adapter's NoSec bootstrap account, which writes the case's bootstrap
// account and the mode 4 one; the client enrols after that
// Bootstrap-Finish, which the order check reads from the merged timeline.
func TestESTThroughBootstrapProfile(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	r := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, "../fixtures/sut/reference-bootstrap.yaml")}
	res := r.RunAll(context.Background(), estCases(t, "est/enroll/after-finish", "est/restart/no-new-enroll"), 2, nil)
	for _, got := range res {
		if got.Verdict != verdict.Pass || got.Observation.Outcome != verdict.Accepted {
			t.Errorf("%s: %s %s\n%s", got.Case.ID, got.Verdict, got.Reason, got.SUTOutput)
		}
		if !strings.Contains(got.SUTCommand, " --bootstrap --server=coap://127.0.0.1:") {
			t.Errorf("%s: command %q", got.Case.ID, got.SUTCommand)
		}
		finish := false
		for _, e := range got.Events {
			finish = finish || e.Fields[harnessPeer] == peerProvisioning && e.Kind == events.BootstrapDone
		}
		order := false
		for _, c := range got.Checks {
			order = order || c.Name == "est-order" && c.Verdict == verdict.Pass
		}
		if !finish || !order {
			t.Errorf("%s: provisioning Bootstrap-Finish in the timeline %v, est-order PASS %v\n%s", got.Case.ID, finish, order, timelineOf(got.Events))
		}
	}
}
