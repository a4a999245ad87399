package sut

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func writeDeviceProfile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dev.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A device profile loads through Load as the device adapter, with its
// options; mistakes name file, line and field, as for every profile.
func TestDeviceProfileLoad(t *testing.T) {
	a, err := Load(writeDeviceProfile(t, `
name: my-board
device:
  endpoints: [board-1, board-2]
  bootstrap_server: {listen: "0.0.0.0:5783", security: psk, psk_identity: factory, psk_key: "00112233"}
  return_timeout: 3s
  reset: [/usr/local/bin/power-cycle, "{{.Endpoint}}"]
capabilities: {cert_usage: true}
`), ReferenceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := a.(*Device)
	if !ok {
		t.Fatalf("Load gave %T, want *Device", a)
	}
	o := d.Options()
	if a.Name() != "my-board" || len(o.Endpoints) != 2 || o.Security != "psk" || string(o.PSKKey) != "\x00\x11\x22\x33" ||
		o.ReturnTimeout.Seconds() != 3 || !o.HasReset() || !a.Capabilities().CertUsage {
		t.Fatalf("loaded %+v, caps %+v", o, a.Capabilities())
	}

	for _, c := range []struct{ body, want string }{
		{"device: {endpoints: [a], bootstrap_server: {listen: \"127.0.0.1:0\"}}\n",
			"port 0 (any free port) needs device.start"},
		{"device: {endpoints: [a], bootstrap_server: {listen: \"127.0.0.1:5783\", security: psk}}\n",
			"security psk needs psk_identity and psk_key"},
		{"device: {endpoints: [a], bootstrap_server: {listen: \"127.0.0.1:5783\", security: dtls}}\n",
			`unknown value "dtls"`},
		{"device: {endpoints: [a], bootstrap_server: {listen: \"127.0.0.1:5783\"}, retrun_timeout: 3s}\n",
			"device.retrun_timeout: unknown field"},
		{"device: {endpoints: [], bootstrap_server: {listen: \"127.0.0.1:5783\"}}\n",
			"at least one endpoint"},
		{"device:\n  endpoints: [a]\n  bootstrap_server: {listen: \"127.0.0.1:0\"}\n  start: [\"{{.Endpoint}}\", \"{{.Endpiont}}\"]\n",
			"dev.yaml:4"},
		{"command: [x]\ndevice: {endpoints: [a], bootstrap_server: {listen: \"127.0.0.1:5783\"}}\n",
			"command: unknown field"},
	} {
		_, err := Load(writeDeviceProfile(t, c.body), ReferenceOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to say %q", c.body, err, c.want)
		}
	}
}

// The writes of a case on a device: the case's server account, never the
// device's own bootstrap account, then the registration-failure resources
// and Client Hold Off Time as optional writes.
func TestDeviceWrites(t *testing.T) {
	tg := certTarget(t)
	writes, err := deviceWrites(tg, BootstrapOptions{AccountInstance: 2})
	if err != nil {
		t.Fatal(err)
	}
	var paths, optional []string
	for _, w := range writes {
		if w.Path == lwm2m.NewPath(lwm2m.ObjSecurity, 2) {
			t.Fatal("device mode rewrote the device's bootstrap account /0/2")
		}
		paths = append(paths, w.Path.String())
		if w.Optional {
			optional = append(optional, w.Path.String())
		}
	}
	if paths[0] != "/0/0" {
		t.Errorf("first write %s, want the case's server at /0/0 (the account keeps /0/2)", paths[0])
	}
	if got := strings.Join(optional, " "); got != "/1/0/16 /1/0/17 /1/0/18 /1/0/19 /1/0/20 /0/2/11" {
		t.Errorf("optional writes %s", got)
	}
	for _, w := range writes[:len(writes)-len(optional)] {
		if w.Optional {
			t.Errorf("%s is optional: the case's account must be written", w.Path)
		}
	}
}

func TestDeviceSkipsWhatBootstrapCannotCarry(t *testing.T) {
	a := NewDevice(&Profile{}, &DeviceOptions{})
	tg := certTarget(t)
	tg.TrustStore = nil
	if why := a.SkipReason(tg); why != "" {
		t.Fatalf("plain certificate case skipped: %s", why)
	}
	tg.TrustStore = certTarget(t).TrustStore
	if why := a.SkipReason(tg); !strings.Contains(why, "PKIX trust store") {
		t.Errorf("trust store case: %q", why)
	}
	tg.TrustStore, tg.ConnectionID = nil, true
	if why := a.SkipReason(tg); !strings.Contains(why, "Connection ID") {
		t.Errorf("CID case: %q", why)
	}
	if why := a.scenarioSkip("restart"); !strings.Contains(why, "device.reset") {
		t.Errorf("restart without reset: %q", why)
	}
}

// The README's worked example (a board on a serial console) is a profile
// that loads.
func TestDeviceReadmeExampleLoads(t *testing.T) {
	doc, err := os.ReadFile("../fixtures/sut/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "### Worked example")
	_, block, ok2 := strings.Cut(after, "```yaml\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("no yaml block after the worked example heading")
	}
	a, err := Load(writeDeviceProfile(t, block), ReferenceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if o := a.(*Device).Options(); o.Security != "psk" || !o.HasReset() || o.Listen != "192.168.7.1:5784" {
		t.Errorf("loaded %+v", o)
	}
}
