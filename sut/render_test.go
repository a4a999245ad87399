package sut

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

const flagsProfile = `command:
  - "{{.Harness}}"
  - client
  - "--endpoint={{.Endpoint}}"
  - "--server={{.ServerURI}}"
  - "--host={{.ServerHost}}:{{.ServerPort}}"
  - "--mode={{.Mode}}/{{.ModeID}}"
  - "{{with .PSKIdentity}}--psk-identity={{.}}{{end}}"
  - "{{with .PSKKeyHex}}--psk-key={{.}}{{end}}"
  - "{{with .Usage}}--cert-usage={{.}}{{end}}"
  - "{{with .SNI}}--sni={{.}}{{end}}"
  - "{{with .CipherSuites}}--ciphersuites={{.}}{{end}}"
  - "{{if .CID}}--cid{{end}}"
  - "{{with .KeyLogFile}}--keylog={{.}}{{end}}"
env:
  SSLKEYLOGFILE: "{{.KeyLogFile}}"
  CASE: "{{.CaseID}}"
`

func TestRenderDropsEmptyOptions(t *testing.T) {
	t.Setenv(HarnessEnv, "/opt/lwm2m-conform")
	p := mustLoad(t, flagsProfile)
	dir := t.TempDir()
	c, err := p.Render(Target{CaseID: "sni/none", Endpoint: "ep", ServerURI: "coap://127.0.0.1:5700", Mode: "nosec", Usage: -1, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/opt/lwm2m-conform", "client", "--endpoint=ep", "--server=coap://127.0.0.1:5700", "--host=127.0.0.1:5700", "--mode=nosec/3"}
	if !reflect.DeepEqual(c.Args, want) {
		t.Errorf("args = %q\nwant %q", c.Args, want)
	}
	// An empty SSLKEYLOGFILE is left out rather than set to "".
	if !reflect.DeepEqual(c.Env, []string{"CASE=sni/none"}) {
		t.Errorf("env = %q", c.Env)
	}
	if c.Dir != dir {
		t.Errorf("workdir = %q, want the case directory %q", c.Dir, dir)
	}
}

func TestRenderEveryOption(t *testing.T) {
	t.Setenv(HarnessEnv, "/opt/lwm2m-conform")
	p := mustLoad(t, flagsProfile)
	dir := t.TempDir()
	c, err := p.Render(Target{
		CaseID: "psk/x", Endpoint: "ep", ServerURI: "coaps://[::1]:5701", Mode: "psk",
		PSKIdentity: "id 1", PSKKey: []byte{0xAB, 0x01}, Usage: 0, SNI: "server.example",
		CipherSuites: []uint16{0xC0A8, 0xC02B}, ConnectionID: true,
		Dir: dir, KeyLogFile: filepath.Join(dir, "keys.txt"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/opt/lwm2m-conform", "client", "--endpoint=ep", "--server=coaps://[::1]:5701", "--host=::1:5701",
		"--mode=psk/0", "--psk-identity=id 1", "--psk-key=ab01", "--cert-usage=0", "--sni=server.example",
		"--ciphersuites=0xC0A8,0xC02B", "--cid", "--keylog=" + filepath.Join(dir, "keys.txt")}
	if !reflect.DeepEqual(c.Args, want) {
		t.Errorf("args = %q\nwant %q", c.Args, want)
	}
	if got := c.String(); !strings.Contains(got, "CASE=psk/x SSLKEYLOGFILE=") || !strings.Contains(got, "'--psk-identity=id 1'") {
		t.Errorf("shell line = %s", got)
	}
}

func TestRenderDefaultPort(t *testing.T) {
	p := mustLoad(t, "command: [x, \"{{.ServerHost}}\", \"{{.ServerPort}}\"]\n")
	for uri, port := range map[string]string{"coaps://h.example": "5684", "coap://h.example": "5683"} {
		c, err := p.Render(Target{ServerURI: uri, Usage: -1})
		if err != nil {
			t.Fatal(err)
		}
		if c.Args[1] != "h.example" || c.Args[2] != port {
			t.Errorf("%s: host/port = %q", uri, c.Args[1:])
		}
	}
	if _, err := p.Render(Target{ServerURI: "coaps://", Usage: -1}); err == nil {
		t.Error("a server URI without host rendered")
	}
}

// Only the files a command names are written, keys at 0600.
func TestRenderWritesOnlyNamedFiles(t *testing.T) {
	p := mustLoad(t, `command: [x, "{{.ClientCertPEM}}", "{{.ClientKeyPEM}}", "{{.ClientKeyDER}}", "{{.ServerCertDER}}", "{{.TrustStoreDir}}", "{{.TrustStorePEM}}"]`+"\n")
	tg := certTarget(t)
	c, err := p.Render(tg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"x"}
	for _, f := range []string{fileClientCertPEM, fileClientKeyPEM, fileClientKeyDER, fileServerCertDER, dirTrustStore, fileTrustStorePEM} {
		want = append(want, filepath.Join(tg.Dir, f))
	}
	if !reflect.DeepEqual(c.Args, want) {
		t.Fatalf("args = %q\nwant %q", c.Args, want)
	}
	for f, mode := range map[string]os.FileMode{fileClientCertPEM: 0o644, fileClientKeyPEM: 0o600, fileClientKeyDER: 0o600, fileServerCertDER: 0o644} {
		st, err := os.Stat(filepath.Join(tg.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s mode %v, want %v", f, st.Mode().Perm(), mode)
		}
	}
	for _, f := range []string{fileClientCertDER, fileServerCertPEM} {
		if _, err := os.Stat(filepath.Join(tg.Dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s written though no template names it (err %v)", f, err)
		}
	}
	// The contents are the Target's values.
	keyPEM, _ := os.ReadFile(filepath.Join(tg.Dir, fileClientKeyPEM))
	if b, _ := pem.Decode(keyPEM); b == nil || b.Type != "PRIVATE KEY" || string(b.Bytes) != string(tg.ClientKeyPKCS8) {
		t.Errorf("client key PEM does not hold the PKCS#8 key")
	}
	der, _ := os.ReadFile(filepath.Join(tg.Dir, fileServerCertDER))
	if string(der) != string(tg.ServerPublicKey) {
		t.Errorf("server cert DER differs")
	}
	checkTrustStore(t, tg)
}

func checkTrustStore(t *testing.T, tg Target) {
	t.Helper()
	bundle, _ := os.ReadFile(filepath.Join(tg.Dir, fileTrustStorePEM))
	var got []string
	for b, rest := pem.Decode(bundle); b != nil; b, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.Subject.CommonName)
	}
	if !reflect.DeepEqual(got, []string{"root", "other root"}) {
		t.Errorf("bundle holds %q", got)
	}
	for _, c := range tg.TrustStore {
		h, err := certgen.OpenSSLNameHash(c.RawSubject)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(tg.Dir, dirTrustStore, fmt.Sprintf("%08x.0", h)))
		if err != nil {
			t.Fatalf("trust store dir: %v", err)
		}
		if b, _ := pem.Decode(data); b == nil || string(b.Bytes) != string(c.Raw) {
			t.Errorf("trust store dir file of %s does not hold it", c.Subject)
		}
	}
}

// A key file left by an earlier run with a loose mode is replaced at 0600.
func TestKeyFileModeIsEnforced(t *testing.T) {
	tg := certTarget(t)
	stale := filepath.Join(tg.Dir, fileClientKeyDER)
	if err := os.WriteFile(stale, []byte("old"), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := NewFiles(tg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ClientKeyDER(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(stale)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v, want 0600", st.Mode().Perm())
	}
}

func TestFilesEmptyValuesAndNoDir(t *testing.T) {
	f, err := NewFiles(Target{Usage: -1, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for name, fn := range map[string]func() (string, error){
		"cert": f.ClientCertPEM, "key": f.ClientKeyPEM, "spk": f.ServerCertPEM, "bundle": f.TrustStorePEM, "dir": f.TrustStoreDir,
	} {
		if p, err := fn(); p != "" || err != nil {
			t.Errorf("%s of an empty Target = %q, %v; want \"\", nil", name, p, err)
		}
	}
	tg := certTarget(t)
	tg.Dir = ""
	f, _ = NewFiles(tg)
	if _, err := f.ClientKeyPEM(); err == nil || !strings.Contains(err.Error(), "no directory") {
		t.Errorf("writing without a case directory: %v", err)
	}
}

func TestServerPublicKeyPEMLabel(t *testing.T) {
	tg := certTarget(t)
	cert, _ := x509.ParseCertificate(tg.ServerPublicKey)
	spki, err := x509.MarshalPKIXPublicKey(cert.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for der, label := range map[string]string{string(tg.ServerPublicKey): "CERTIFICATE", string(spki): "PUBLIC KEY", "junk": "CERTIFICATE"} {
		tg.ServerPublicKey = []byte(der)
		tg.Dir = t.TempDir()
		f, _ := NewFiles(tg)
		p, err := f.ServerCertPEM()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		if b, _ := pem.Decode(data); b == nil || b.Type != label || string(b.Bytes) != der {
			t.Errorf("server key written as %v, want %s", b, label)
		}
	}
}
