package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// The capture of a CID rebinding case, read by tshark with the case's key
// log, shows the Register and, after the source port changed, the Update on
// the same Connection ID, both decrypted.
func TestCIDRebindingCaptureDecryptsInTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI (.ci/run installs it)")
		}
		t.Skip("tshark not installed")
	}
	c, ok := testFixtures(t).Catalogue.Get("cid/rebind")
	if !ok {
		t.Fatal("cid/rebind missing")
	}
	r := referenceRunner(t)
	r.EvidenceRoot = t.TempDir()
	res := r.Run(context.Background(), c)
	if res.Verdict != verdict.Pass {
		t.Fatalf("cid/rebind: %s %s", res.Verdict, res.Reason)
	}
	lines := Tshark(t, res.EvidenceDir, "-e", "udp.srcport", "-e", "dtls.record.connection_id", "-e", "coap.code", "-e", "coap.opt.uri_path")
	var cid string
	ports := map[string]bool{}
	var register, update bool
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) < 4 || f[1] == "" {
			continue
		}
		if cid == "" {
			cid = f[1]
		}
		if f[1] != cid {
			t.Errorf("record with CID %s, expected %s throughout: %q", f[1], cid, l)
		}
		ports[f[0]] = true
		switch {
		case f[2] == "2" && f[3] == "rd":
			register = true
		case f[2] == "2" && strings.HasPrefix(f[3], "rd,"):
			update = true
		}
	}
	if cid == "" || !register || !update || len(ports) < 2 {
		t.Fatalf("want a decrypted Register and Update on one CID from two source ports; tshark saw:\n%s", strings.Join(lines, "\n"))
	}
}

// Tshark decodes a case's capture.pcapng with its key log and returns one
// line of tab-separated fields per packet.
func Tshark(t *testing.T, dir string, fields ...string) []string {
	t.Helper()
	pcap := filepath.Join(dir, "capture.pcapng")
	port, err := exec.Command("tshark", "-r", pcap, "-c", "1", "-T", "fields", "-e", "udp.dstport").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	p := strings.TrimSpace(string(port))
	args := append([]string{"-r", pcap, "-o", "tls.keylog_file:" + filepath.Join(dir, "sslkeylog.txt"),
		"-d", "udp.port==" + p + ",dtls", "-d", "dtls.port==" + p + ",coap", "-T", "fields"}, fields...)
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark %v: %v", args, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}
