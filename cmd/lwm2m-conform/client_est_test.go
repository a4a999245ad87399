package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Security Mode 4's settings come from flags or the --config file, with
// seed 002 §10.3.3.1's default policy when left out.
func TestClientCLIESTSettings(t *testing.T) {
	s, err := parseClientSettings(nil, io.Discard, io.Discard)
	if err != nil || s.ESTNominalUsage != 0.9 || s.ESTMaxMargin != 720*time.Hour || s.ESTState != "" || s.ESTDiscovery {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(cfg, []byte("est-nominal-usage: 0.5\nest-max-margin: 1h\nest-state: /var/lib/dev/est.json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = parseClientSettings([]string{"--config", cfg, "--est-max-margin", "90s", "--est-discovery"}, io.Discard, io.Discard)
	if err != nil || s.ESTNominalUsage != 0.5 || s.ESTMaxMargin != 90*time.Second || s.ESTState != "/var/lib/dev/est.json" || !s.ESTDiscovery {
		t.Fatalf("config with flags: %+v %v", s, err)
	}
}

func TestClientCLIBadESTPolicyIsOneLineExit2(t *testing.T) {
	for _, bad := range [][]string{{"--est-nominal-usage", "1.5"}, {"--est-nominal-usage", "0"}, {"--est-max-margin", "-1h"}} {
		args := append([]string{"--endpoint", "e", "--server", "coap://127.0.0.1:5683"}, bad...)
		code, out := runClientCLI(t, args...)
		if code != 2 || strings.Count(out, "\n") != 1 || !strings.Contains(out, bad[0]) {
			t.Errorf("%v: exit %d, %q", bad, code, out)
		}
	}
}
