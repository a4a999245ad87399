package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func needTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI (.ci/run installs it)")
		}
		t.Skip("tshark not installed")
	}
}

// coapInCapture is what `tshark -r capture.pcapng -Y coap` decodes, the
// capture and nothing else given: one "code<TAB>uri-path" line a message.
func coapInCapture(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("tshark", "-r", filepath.Join(dir, captureFile), "-Y", "coap",
		"-T", "fields", "-e", "coap.code", "-e", "coap.opt.uri_path").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	return string(out)
}

// checkEvidence checks that the case's capture holds the server's key log
// ahead of its packets, and that the files with secrets are the owner's.
func checkEvidence(t *testing.T, dir string, private ...string) {
	t.Helper()
	f, err := pcapng.ReadFile(filepath.Join(dir, captureFile))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := os.ReadFile(filepath.Join(dir, keyLogFile))
	if len(f.KeyLogs) != 1 || string(f.KeyLogs[0]) != string(keys) || !strings.HasPrefix(string(keys), "CLIENT_RANDOM ") || !f.SecretsFirst {
		t.Errorf("key logs in the capture %q (before the packets: %v), server key log %q", f.KeyLogs, f.SecretsFirst, keys)
	}
	for _, name := range append([]string{keyLogFile, captureFile}, private...) {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v", name, err, st.Mode().Perm())
		}
	}
}

// A client that accepts every server fails a certificate case it should
// reject; the harness server's own key log and capture show its Register
// decrypted, whatever the client keeps.
func TestFailingCertificateCaseCaptureOpensDecrypted(t *testing.T) {
	needTshark(t)
	c, ok := testFixtures(t).Catalogue.Get("certusage/u3/spk-other-leaf/ts-absent/chain-leaf-int")
	if !ok {
		t.Fatal("case missing")
	}
	r := &Runner{PKI: testPKI(t), Adapter: sut.NewReference(sut.ReferenceOptions{Faults: []string{"accept-any"}}), EvidenceRoot: t.TempDir()}
	res := r.Run(context.Background(), c)
	if res.Verdict != verdict.Fail || res.Observation.Outcome != verdict.Accepted {
		t.Fatalf("verdict %s, observation %+v", res.Verdict, res.Observation)
	}
	if coap := coapInCapture(t, res.EvidenceDir); !strings.Contains(coap, "2\trd\n") {
		t.Errorf("no decrypted Register (POST /rd) in the capture:\n%s", coap)
	}
	checkEvidence(t, res.EvidenceDir)
}

// A proxied case's capture, written by the proxy, opens decrypted alone too.
func TestProxiedCaseCaptureOpensDecrypted(t *testing.T) {
	needTshark(t)
	c, ok := testFixtures(t).Catalogue.Get("retransmission/drop-first-clienthello")
	if !ok {
		t.Fatal("case missing")
	}
	r := referenceRunner(t)
	r.EvidenceRoot = t.TempDir()
	res := r.Run(context.Background(), c)
	if res.Verdict != verdict.Pass {
		t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
	}
	if coap := coapInCapture(t, res.EvidenceDir); !strings.Contains(coap, "2\trd\n") {
		t.Errorf("no decrypted Register (POST /rd) in the capture:\n%s", coap)
	}
	checkEvidence(t, res.EvidenceDir, sut.PSKKeyFile)
}
