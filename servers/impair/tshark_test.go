package impair

import (
	"encoding/hex"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The capture must open in Wireshark and decrypt with the key log: the
// tshark version on the machine decodes it. Skipped without tshark unless
// CI is set.
func TestTsharkDecryptsTheCapture(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI: ", err)
		}
		t.Skip("tshark not installed")
	}
	s := runCIDSession(t)
	cidRecs := recordsWhere(s.log, map[string]string{"dir": "up", "type": "tls12_cid"})
	if len(cidRecs) == 0 {
		t.Fatal("no tls12_cid records in the events")
	}
	cid := cidRecs[0].Fields["cid"]
	// The server appears on 5684, where tshark decodes DTLS by default and
	// its payload as CoAP, which this echo payload is not.
	srvPort := "5684"

	cmd := exec.Command(tshark, "-r", s.pcap, "-o", "tls.keylog_file:"+s.keylog, "--disable-protocol", "coap",
		"-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,",
		"-e", "udp.srcport", "-e", "udp.dstport",
		"-e", "dtls.record.special_type", "-e", "dtls.record.connection_id", "-e", "data.data")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	type frame struct{ src, dst, special, cid, plain string }
	var frames []frame
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 5 {
			t.Fatalf("tshark line %q", line)
		}
		plain, _ := hex.DecodeString(strings.ReplaceAll(f[4], ":", ""))
		frames = append(frames, frame{f[0], f[1], f[2], strings.ReplaceAll(f[3], ":", ""), string(plain)})
	}

	old, nu := strconv.Itoa(s.oldPort), strconv.Itoa(s.newPort)
	want := []frame{
		{old, srvPort, "25", cid, "before rebinding"},
		{srvPort, old, "", "", "before rebinding"},
		{nu, srvPort, "25", cid, "after rebinding"},
		{srvPort, nu, "", "", "after rebinding"},
		{nu, srvPort, "25", cid, "and again"},
		{srvPort, nu, "", "", "and again"},
	}
	var app []frame // an undecrypted record has no plaintext and is missing here
	for _, f := range frames {
		if f.plain != "" {
			app = append(app, f)
		}
	}
	if len(app) != len(want) {
		t.Fatalf("decrypted frames %+v\nwant %+v\nall frames %+v", app, want, frames)
	}
	for i := range want {
		if app[i] != want[i] {
			t.Errorf("frame %d: got %+v, want %+v", i, app[i], want[i])
		}
	}
}
