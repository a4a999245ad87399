package report

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A case page says how to rerun the case, with the --sut value the run was
// given, and how to read its capture decrypted.
func TestCasePageShowsReproduceAndCaptureCommands(t *testing.T) {
	r := handRun()
	r.SUTFlag = "fixtures/sut/my client.yaml"
	dir := t.TempDir()
	ev := filepath.Join(dir, "evidence", "u1")
	if err := os.MkdirAll(ev, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ev, "capture.pcapng"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.Results[1].EvidenceDir = ev
	if err := WriteHTML(dir, r); err != nil {
		t.Fatal(err)
	}
	id := r.Results[1].Case.ID
	page := html.UnescapeString(readFile(t, filepath.Join(dir, casesDir, slug(id)+".html")))
	for _, want := range []string{
		"lwm2m-conform reproduce " + id + " --sut 'fixtures/sut/my client.yaml'",
		"tshark -r " + filepath.Join(ev, "capture.pcapng") + " -Y coap",
		"packet capture, the harness server's key log embedded",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// Without the flag recorded (older results.json), the SUT's name.
	r.SUTFlag = ""
	if got := reproduceCommand(r, "psk/key-len-1"); got != "lwm2m-conform reproduce psk/key-len-1 --sut "+r.SUT {
		t.Errorf("reproduce command %q", got)
	}
}

func TestResultsJSONKeepsTheSUTFlag(t *testing.T) {
	r := handRun()
	r.SUTFlag = "fixtures/sut/reference-exec.yaml"
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&b)
	if err != nil || back.SUTFlag != r.SUTFlag {
		t.Fatalf("read back %q, %v", back.SUTFlag, err)
	}
}
