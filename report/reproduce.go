package report

import (
	"os"
	"path/filepath"
	"strings"
)

// captureFile is the capture every case with evidence keeps, the server's
// key log embedded.
const captureFile = "capture.pcapng"

// reproduceCommand reruns one case of run r verbosely with its evidence.
func reproduceCommand(r Run, id string) string {
	sut := r.SUTFlag
	if sut == "" {
		sut = r.SUT
	}
	return shellLine("lwm2m-conform", "reproduce", id, "--sut", sut)
}

// captureCommand shows the CoAP of a case's capture, decrypted by the key
// log inside it; "" when the case has no capture.
func captureCommand(evidenceDir string) string {
	if evidenceDir == "" {
		return ""
	}
	p := filepath.Join(evidenceDir, captureFile)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return shellLine("tshark", "-r", p, "-Y", "coap")
}

// shellLine quotes args for a POSIX shell where they need it.
func shellLine(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") != "" {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
