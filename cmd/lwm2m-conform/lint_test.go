package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

var lintWorld struct {
	sync.Once
	dir string
	err error
}

// devicecertsDir writes the devicecerts world once, as certgen --out does.
func devicecertsDir(t *testing.T) string {
	t.Helper()
	lintWorld.Do(func() {
		const file = "../../fixtures/worlds/devicecerts.yaml"
		data, err := os.ReadFile(file)
		if err != nil {
			lintWorld.err = err
			return
		}
		w, err := certgen.Parse(file, data)
		if err != nil {
			lintWorld.err = err
			return
		}
		set, err := certgen.Materialise([]*certgen.World{w}, time.Now())
		if err != nil {
			lintWorld.err = err
			return
		}
		lintWorld.dir, lintWorld.err = os.MkdirTemp("", "lint-test-")
		if lintWorld.err == nil {
			_, lintWorld.err = set.Write(lintWorld.dir)
		}
	})
	if lintWorld.err != nil {
		t.Fatal(lintWorld.err)
	}
	return filepath.Join(lintWorld.dir, "devicecerts")
}

func runLint(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := lintCommand(args, &out, &errOut)
	var ec exitCode
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &ec):
		return int(ec), out.String(), errOut.String()
	}
	return 1, out.String(), errOut.String() + err.Error()
}

func TestLintCompliantDeviceIsClean(t *testing.T) {
	dir := devicecertsDir(t)
	code, out, errOut := runLint(t, "--profile", "lwm2m-device", "--endpoint", "dev1", filepath.Join(dir, "device-good.fullchain.pem"))
	if code != 0 || !strings.Contains(out, "clean: no findings") || errOut != "" {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestLintExitStatus(t *testing.T) {
	dir := devicecertsDir(t)
	for _, tc := range []struct {
		args []string
		code int
		rule string
	}{
		{[]string{"--endpoint", "dev1", filepath.Join(dir, "device-cn-other.chain.pem")}, 1, "lwm2m-cn-endpoint"},
		// A chain given as DER files breaks the PEM-only rule.
		{[]string{"--endpoint", "dev1", filepath.Join(dir, "device-good.crt.der"), filepath.Join(dir, "int.crt.der")}, 1, "lwm2m-chain-pem"},
		// A warning alone passes, and fails with --strict.
		{[]string{"--profile", "ocf-identity", filepath.Join(dir, "ocf-identity-no-tls-ekus.fullchain.pem")}, 0, "ocf-impl-ee-tls-ekus"},
		{[]string{"--strict", "--profile", "ocf-identity", filepath.Join(dir, "ocf-identity-no-tls-ekus.fullchain.pem")}, 1, "ocf-impl-ee-tls-ekus"},
		// A notice never fails.
		{[]string{"--profile", "ocf-identity", filepath.Join(dir, "ocf-identity-under-no-eku.fullchain.pem")}, 0, "ocf-ca-eku"},
	} {
		code, out, errOut := runLint(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.rule) {
			t.Errorf("%v: exit %d, want %d with %s\n%s%s", tc.args, code, tc.code, tc.rule, out, errOut)
		}
	}
}

func TestLintJSON(t *testing.T) {
	dir := devicecertsDir(t)
	code, out, _ := runLint(t, "--json", "--endpoint", "dev1", filepath.Join(dir, "device-ten-years.fullchain.pem"))
	var fs []struct{ Rule, Severity, Source, Message string }
	if err := json.Unmarshal([]byte(out), &fs); err != nil || code != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if len(fs) != 1 || fs[0].Rule != "lwm2m-validity-10-years" || fs[0].Severity != "error" ||
		fs[0].Source != "004_a2a7e99d9fc9a4a8.txt, LwM2M device key and certificate, Expiration time" {
		t.Errorf("findings %+v", fs)
	}
}

func TestLintUsage(t *testing.T) {
	if code, out, _ := runLint(t, "--help"); code != 0 || !strings.HasPrefix(out, "usage: lwm2m-conform lint") || !strings.Contains(out, "Exit status") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{}, {"--bogus"}, {"--profile", "nope", "x.pem"}, {"no-such-file.pem"}} {
		if code, _, errOut := runLint(t, args...); code != 2 || !strings.HasPrefix(errOut, "lwm2m-conform lint: ") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("profile: x\nrules:\n  - id: a\n    check: e_ca_is_ca\n    severity: error\n    basis: rfc\n    source: s\n    says: s\n"), 0o644)
	_, _, errOut := runLint(t, "--profile", bad, "x.pem")
	if want := bad + ":3: rules[0].check: e_ca_is_ca is a CABF_BR lint"; !strings.Contains(errOut, want) {
		t.Errorf("CABF lint in a profile: %q, want %q", errOut, want)
	}
}
