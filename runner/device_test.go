package runner

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Device mode end to end: reference clients started once as separate
// processes, re-provisioned for each case by the harness bootstrap server.

func casesByID(t *testing.T, ids ...string) []catalog.Case {
	t.Helper()
	var out []catalog.Case
	for _, id := range ids {
		c, ok := testFixtures(t).Catalogue.Get(id)
		if !ok {
			t.Fatalf("%s not in the catalogue", id)
		}
		out = append(out, c)
	}
	return out
}

func loadAdapter(t *testing.T, path string) sut.Adapter {
	t.Helper()
	a, err := sut.Load(path, sut.ReferenceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := a.(*sut.Device); ok {
		t.Cleanup(func() { d.Close() })
	}
	return a
}

// deviceProfile writes a device profile whose devices run body's start
// command (a shell script: $0 the harness, $1 the device directory, $2
// the bootstrap URI, $3 the endpoint).
func deviceProfile(t *testing.T, endpoints, start, reset string) string {
	return securedDeviceProfile(t, `{listen: "127.0.0.1:0"}`, endpoints, start, reset)
}

// securedDeviceProfile is deviceProfile with bootstrap_server given.
func securedDeviceProfile(t *testing.T, bootstrapServer, endpoints, start, reset string) string {
	t.Helper()
	yaml := `name: scripted-device
device:
  endpoints: [` + endpoints + `]
  bootstrap_server: ` + bootstrapServer + `
  return_timeout: 2s
  start: [sh, -c, '` + start + `', "{{.Harness}}", "{{.Dir}}", "{{.BootstrapURI}}", "{{.Endpoint}}"]
`
	if reset != "" {
		yaml += `  reset: [sh, -c, '` + reset + `', "{{.Dir}}"]
`
	}
	yaml += `capabilities: {cert_usage: true, sni: true, cipher_suites: true, real_time_clock: true, flight_interval: 200ms}
timeouts: {start: 5s, handshake: 5s, case: 10s}
`
	path := filepath.Join(t.TempDir(), "device.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// oneShot is a device that registers once, then leaves its process
// running without ever going back to bootstrap.
const oneShot = `"$0" client --bootstrap --server="$2" --endpoint="$3" --exit-after-register --flight-interval=200ms --log-level=warn; exec sleep 600`

// writePid makes a start script write its pid (the process's, after
// exec too) into dir.
func writePid(dir string) string { return `echo $$ > "` + dir + `/pid"; ` }

func notes(evs []events.Event, what string) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == events.Note && e.Fields["what"] == what {
			out = append(out, e.Summary)
		}
	}
	return out
}

// The shipped reference-device profile decides every case as the exec
// profile does, skips the trust-store cell with the reason, and each case's
// timeline shows how the device was steered back.
func TestDeviceModeSameVerdictsAsExec(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	cases := casesByID(t,
		"certusage/u3/spk-leaf/ts-absent/chain-full",       // accept
		"certusage/u3/spk-other-leaf/ts-absent/chain-full", // reject, alert
		"certusage/u0/spk-root/ts-absent/chain-leaf-int",   // reject: PKIX without a trust store
		"certusage/u2/spk-root/ts-absent/chain-full",       // accept under DANE-TA
		"certusage/u3/spk-empty/ts-absent/chain-full",      // accept without validation: WARN
		"sni/san-dns-mismatch/u2",                          // reject on the name
		"certusage/u0/spk-root/ts-root/chain-full",         // trust store: SKIP in device mode
	)
	exec := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, "../fixtures/sut/reference-exec.yaml"), Catalog: testFixtures(t).Catalogue.Cases}
	dev := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, "../fixtures/sut/reference-device.yaml"), Catalog: testFixtures(t).Catalogue.Cases}
	want := exec.RunAll(context.Background(), cases, 2, nil)
	got := dev.RunAll(context.Background(), cases, 2, nil)
	if n := DeviceNotes(dev.Adapter, got); len(n) != 1 || !strings.Contains(n[0], "1 of 7 cases SKIP") || !strings.Contains(n[0], "PKIX trust store") {
		t.Errorf("run notes %q", n)
	}
	for i, c := range cases {
		w, g := want[i], got[i]
		if c.SUT.TrustStore != nil {
			if g.Verdict != verdict.Skip || !strings.Contains(g.Reason, "PKIX trust store") {
				t.Errorf("%s: %s %q, want SKIP for the trust store", c.ID, g.Verdict, g.Reason)
			}
			continue
		}
		if g.Verdict != w.Verdict || g.Observation.Outcome != w.Observation.Outcome {
			t.Errorf("%s: device %s (%s), exec %s (%s)\n%s", c.ID, g.Verdict, g.Observation, w.Verdict, w.Observation, g.SUTOutput)
		}
		if !strings.HasPrefix(g.SUTCommand, "device reference-device-") || !strings.Contains(g.SUTOutput, "--- harness bootstrap server") {
			t.Errorf("%s: command %q; output without the bootstrap timeline", c.ID, g.SUTCommand)
		}
		if len(notes(g.Events, "device_back")) != 1 {
			t.Errorf("%s: timeline has no return to bootstrap: %v", c.ID, notes(g.Events, "device_back"))
		}
		trig := notes(g.Events, "device_trigger")
		if accepted := g.Observation.Outcome == verdict.Accepted; accepted != (len(trig) == 1) || accepted && !strings.Contains(trig[0], "2.04") {
			t.Errorf("%s (%s): Bootstrap-Request Trigger notes %v", c.ID, g.Observation.Outcome, trig)
		}
	}
}

func pidOf(t *testing.T, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z" && f[0] != "X" && syscall.Kill(pid, 0) == nil
}

// A device that never comes back to bootstrap, with no reset: command,
// stops the run: the following cases fail at once naming the case after
// which it was lost, and Ctrl-C's StopAll leaves no device process.
func TestDeviceThatNeverReturnsStopsTheRun(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	pidDir := t.TempDir()
	a := loadAdapter(t, deviceProfile(t, "stuck-1", writePid(pidDir)+oneShot, ""))
	r := &Runner{PKI: testPKI(t), Adapter: a}
	cases := casesByID(t, "certusage/u3/spk-leaf/ts-absent/chain-full", "certusage/u3/spk-leaf/ts-absent/chain-leaf", "certusage/u3/spk-leaf/ts-absent/chain-leaf-int")
	start := time.Now()
	res := r.RunAll(context.Background(), cases, 1, nil)
	if res[0].Verdict != verdict.Pass {
		t.Fatalf("first case %s: %s", res[0].Verdict, res[0].Reason)
	}
	lost := notes(res[0].Events, "device_lost")
	if len(lost) != 1 || !strings.Contains(lost[0], cases[0].ID) || !strings.Contains(lost[0], "no device.reset") {
		t.Errorf("first case's timeline: %v", lost)
	}
	for _, r := range res[1:] {
		if r.Verdict != verdict.Fail || !strings.Contains(r.Reason, "device mode stopped") || !strings.Contains(r.Reason, "after case "+cases[0].ID) {
			t.Errorf("%s: %s %q, want a FAIL naming %s", r.Case.ID, r.Verdict, r.Reason, cases[0].ID)
		}
		if r.Duration > time.Second {
			t.Errorf("%s took %s after the run stopped", r.Case.ID, r.Duration)
		}
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the run took %s", d)
	}
	pid := pidOf(t, pidDir)
	if !alive(pid) {
		t.Fatalf("device process %d gone before the end of the run", pid)
	}
	sut.StopAll()
	if alive(pid) {
		t.Errorf("device process %d still alive after StopAll", pid)
	}
}

// With a reset: command (here: kill the device's process, which the
// harness then starts again) a device that does not come back is reset,
// and the run goes on.
func TestDeviceResetLetsTheRunContinue(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	a := loadAdapter(t, deviceProfile(t, "stuck-1", writePid(`$1`)+oneShot, `kill $(cat "$0/pid")`))
	r := &Runner{PKI: testPKI(t), Adapter: a}
	cases := casesByID(t, "certusage/u3/spk-leaf/ts-absent/chain-full", "certusage/u3/spk-other-leaf/ts-absent/chain-full", "certusage/u3/spk-leaf/ts-absent/chain-leaf")
	res := r.RunAll(context.Background(), cases, 1, nil)
	for _, r := range res {
		if r.Verdict != verdict.Pass {
			t.Errorf("%s: %s %s\n%s", r.Case.ID, r.Verdict, r.Reason, r.SUTOutput)
		}
	}
	// The accepted cases end with a reset; the rejection with the
	// device's own fallback (it leaves, and the harness restarts it).
	for _, i := range []int{0, 2} {
		if n := notes(res[i].Events, "device_reset"); len(n) == 0 {
			t.Errorf("%s: no reset in the timeline", res[i].Case.ID)
		}
		if back := notes(res[i].Events, "device_back"); len(back) != 1 || !strings.Contains(back[0], "after its reset") {
			t.Errorf("%s: return notes %v", res[i].Case.ID, back)
		}
	}
}

// A device that never asks to be bootstrapped never passes: its case
// times out, and with nothing to steer back the run stops.
func TestDeviceThatDoesNothingNeverPasses(t *testing.T) {
	a := loadAdapter(t, deviceProfile(t, "silent-1", "exec sleep 600", ""))
	r := &Runner{PKI: testPKI(t), Adapter: a}
	res := r.Run(context.Background(), casesByID(t, "certusage/u3/spk-leaf/ts-absent/chain-full")[0])
	if res.Verdict != verdict.Fail || res.Observation.Outcome != verdict.Timeout {
		t.Fatalf("%s (%s), want FAIL by timeout", res.Verdict, res.Observation)
	}
	if w := notes(res.Events, "device"); len(w) < 2 || !strings.Contains(w[1], "waiting for the device's Bootstrap-Request") {
		t.Errorf("timeline: %v", w)
	}
}

// writeCert writes a self-signed P-256 certificate and its PKCS#8 key as
// PEM files into dir.
func writeCert(t *testing.T, dir, name string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// The factory bootstrap account may be PSK or certificate: the harness
// bootstrap server speaks DTLS with the credentials the profile declares,
// and the bootstrap PSK never reaches the reports.
func TestDeviceBootstrapAccountSecurity(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	dir := t.TempDir()
	bsCert, bsKey := writeCert(t, dir, "bootstrap-server")
	devCert, devKey := writeCert(t, dir, "device")
	const pskHex = "5c2f7e0b9a41d8e3a7c60f1b2d9e8a47"
	client := `"$0" client --bootstrap --server="$2" --endpoint="$3" --flight-interval=200ms --log-level=info `
	for name, c := range map[string]struct{ server, flags string }{
		"psk": {`{listen: "127.0.0.1:0", security: psk, psk_identity: factory-bs, psk_key: "` + pskHex + `"}`,
			`--psk-identity=factory-bs --psk-key=` + pskHex},
		"cert": {`{listen: "127.0.0.1:0", security: cert, certificate: "` + bsCert + `", private_key: "` + bsKey + `"}`,
			`--cert=` + devCert + ` --key=` + devKey + ` --server-cert=` + bsCert},
	} {
		t.Run(name, func(t *testing.T) {
			a := loadAdapter(t, securedDeviceProfile(t, c.server, "secured-1", client+c.flags, ""))
			r := &Runner{PKI: testPKI(t), Adapter: a}
			res := r.RunAll(context.Background(), casesByID(t, "certusage/u3/spk-leaf/ts-absent/chain-full", "certusage/u3/spk-other-leaf/ts-absent/chain-full"), 1, nil)
			for _, r := range res {
				if r.Verdict != verdict.Pass {
					t.Errorf("%s: %s %s\n%s", r.Case.ID, r.Verdict, r.Reason, r.SUTOutput)
				}
				if !strings.Contains(r.SUTCommand, "coaps://127.0.0.1:") {
					t.Errorf("%s: device command %q, want a coaps:// bootstrap URI", r.Case.ID, r.SUTCommand)
				}
				if strings.Contains(r.SUTCommand+r.SUTOutput, pskHex) {
					t.Errorf("%s: the bootstrap PSK is in the report", r.Case.ID)
				}
			}
		})
	}
}

// A restart scenario on a device is its reset: here the device keeps its
// state in a file, so the restarted client resumes its DTLS session.
func TestDeviceRestartScenarioIsAReset(t *testing.T) {
	t.Setenv(sut.HarnessEnv, harnessBinary(t))
	persistent := writePid(`$1`) + `exec "$0" client --bootstrap --server="$2" --endpoint="$3" --flight-interval=200ms --log-level=info --state="$1/state.json"`
	path := deviceProfile(t, "persistent-1", persistent, `kill $(cat "$0/pid")`)
	data, err := os.ReadFile(path)
	if err == nil {
		err = os.WriteFile(path, []byte(strings.Replace(string(data), "capabilities: {", "capabilities: {resumption: true, ", 1)), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{PKI: testPKI(t), Adapter: loadAdapter(t, path)}
	res := r.Run(context.Background(), casesByID(t, "resumption/restart")[0])
	if res.Verdict != verdict.Pass {
		t.Fatalf("%s %s\n%s", res.Verdict, res.Reason, res.SUTOutput)
	}
	if n := notes(res.Events, "device_reset"); len(n) == 0 || !strings.Contains(n[0], "restarts the SUT") {
		t.Errorf("timeline reset notes %v", n)
	}
}
