package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// reproduce prints a command that shows the case's capture with its CoAP
// decrypted, and the command runs as printed.
func TestReproducePrintsARunnableCaptureCommand(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI (.ci/run installs it)")
		}
		t.Skip("tshark not installed")
	}
	bin := buildCLI(t)
	out, err := exec.Command(bin, "reproduce", "certusage/u3/spk-empty/ts-absent/chain-leaf", "--sut", "reference", "--out", t.TempDir()).Output()
	if err != nil {
		t.Fatalf("reproduce: %v\n%s", err, out)
	}
	var command string
	for _, l := range strings.Split(string(out), "\n") {
		if c, ok := strings.CutPrefix(l, "capture  "); ok {
			command = c
		}
	}
	if command == "" || strings.Contains(command, "PORT") {
		t.Fatalf("no runnable capture command in:\n%s", out)
	}
	shown, err := exec.Command("sh", "-c", command).Output()
	if err != nil || !strings.Contains(string(shown), "CoAP") || !strings.Contains(string(shown), "/rd") {
		t.Fatalf("%s: %v\n%s", command, err, shown)
	}
}
