package leshan

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSingleResourceTypes(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	cases := []struct {
		v     any
		typ   string
		value any
	}{
		{42, "integer", "42"},
		{int64(-7), "integer", "-7"},
		{uint16(5), "unsigned_integer", "5"},
		{"x", "string", "x"},
		{true, "boolean", true},
		{1.5, "float", "1.5"},
		{[]byte{0xca, 0xfe}, "opaque", "cafe"},
		{at, "time", int64(1700000000123)},
		{90 * time.Second, "integer", "90"},
		{Value{Type: "objlnk", V: map[string]int{"objectId": 1, "objectInstanceId": 0}}, "objlnk", map[string]int{"objectId": 1, "objectInstanceId": 0}},
	}
	for _, c := range cases {
		n, err := singleResource("/1/0/1", c.v)
		if err != nil {
			t.Errorf("%T: %v", c.v, err)
			continue
		}
		if n.ID != 1 || n.Kind != "singleResource" || n.Type != c.typ || !reflect.DeepEqual(n.Value, c.value) {
			t.Errorf("%T %v: %+v, want type %s value %v", c.v, c.v, n, c.typ, c.value)
		}
	}
	for _, bad := range []struct {
		path string
		v    any
	}{{"/1/0", 1}, {"/1/0/x", 1}, {"/1/0/1", struct{}{}}, {"/1/0/1", 1500 * time.Millisecond}} {
		if _, err := singleResource(bad.path, bad.v); err == nil {
			t.Errorf("%s %T accepted", bad.path, bad.v)
		}
	}
}

func TestCIDFlag(t *testing.T) {
	for in, want := range map[string]string{"": "on", "on": "on", "off": "off", "0": "0", "16": "16"} {
		if got, err := cidFlag(in); err != nil || got != want {
			t.Errorf("cidFlag(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"yes", "-1", "256", "04", "1x"} {
		if _, err := cidFlag(bad); err == nil {
			t.Errorf("cidFlag(%q) accepted", bad)
		}
	}
}

func TestEventStreamParsing(t *testing.T) {
	stream := ": connected\n\n" +
		"event: REGISTRATION\ndata: {\"endpoint\":\"a\",\"lifetime\":60}\n\n" +
		": keep-alive\n\n" +
		"event: UPDATED\ndata: {\"registration\":{\"endpoint\":\"b\"},\"update\":{}}\n\n" +
		"event: NOTIFICATION\ndata: {\"ep\":\"c\",\"res\":\"/3/0/13\",\"val\":{\"id\":13}}\n\n" +
		"event: DTLS\ndata: {\"result\":\"failed\",\"alert\":\"BAD_CERTIFICATE\"}\n\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/event" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, stream)
	}))
	defer srv.Close()
	a := &api{base: srv.URL, http: srv.Client()}
	ch, err := a.events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for ev := range ch {
		got = append(got, ev.Name+"/"+ev.Endpoint)
		if ev.Name == EventDTLS {
			var d DTLSEvent
			if err := json.Unmarshal(ev.Data, &d); err != nil || d.Alert != "BAD_CERTIFICATE" {
				t.Errorf("DTLS data %s: %+v %v", ev.Data, d, err)
			}
		}
	}
	want := []string{"REGISTRATION/a", "UPDATED/b", "NOTIFICATION/c", "DTLS/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestModeFromEnvAndUnavailable(t *testing.T) {
	t.Setenv("LWM2M_CONFORM_LESHAN_MODE", "process")
	if m, err := ModeFromEnv(); err != nil || m != ModeProcess {
		t.Errorf("ModeFromEnv = %v, %v", m, err)
	}
	t.Setenv("LWM2M_CONFORM_LESHAN_MODE", "vm")
	if _, err := ModeFromEnv(); err == nil {
		t.Error("mode vm accepted")
	}
	// Neither Java nor Docker: ModeAuto is unavailable, with both reasons.
	t.Setenv("JAVA_HOME", "")
	t.Setenv("PATH", t.TempDir())
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-docker.sock"))
	_, err := ResolveMode(context.Background(), ModeAuto)
	if !IsUnavailable(err) || !strings.Contains(err.Error(), "Docker") || !strings.Contains(err.Error(), "java") {
		t.Errorf("ResolveMode(auto) = %v, want an UnavailableError naming Docker and java", err)
	}
	if _, err := ResolveMode(context.Background(), "vm"); err == nil || IsUnavailable(err) {
		t.Errorf("ResolveMode(vm) = %v, want a plain error", err)
	}
}

func TestOutputLogKeepsTheEnd(t *testing.T) {
	o, err := newOutputLog(filepath.Join(t.TempDir(), "out"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer o.close()
	chunk := strings.Repeat("x", 4096) + "\n"
	for range maxOutput/len(chunk) + 10 {
		_, _ = o.Write([]byte(chunk))
	}
	mark := o.Len()
	_, _ = o.Write([]byte("last line\n"))
	s := o.String()
	if !strings.HasPrefix(s, "[... ") || !strings.HasSuffix(s, "last line\n") || len(s) > maxOutput+100 {
		t.Errorf("kept %d bytes starting %q", len(s), s[:40])
	}
	if got := o.Since(mark); got != "last line\n" {
		t.Errorf("Since = %q", got)
	}
}

func TestX509FilesChecksItsInputs(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	cert, _ := x509.ParseCertificate(der)
	pk8, _ := x509.MarshalPKCS8PrivateKey(key)
	sec1, _ := x509.MarshalECPrivateKey(key)

	if _, _, err := x509Files([]*x509.Certificate{cert}, nil, nil); err == nil {
		t.Error("certificate without key accepted")
	}
	if _, _, err := x509Files([]*x509.Certificate{cert}, sec1, nil); err == nil || !strings.Contains(err.Error(), "PKCS#8") {
		t.Errorf("SEC1 key: %v", err)
	}
	files, secret, err := x509Files([]*x509.Certificate{cert}, pk8, []*x509.Certificate{cert})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || !secret["identity.key.pem"] || len(secret) != 1 {
		t.Errorf("files %v secret %v", keys(files), secret)
	}
	args := x509Args(layout{fileDir: "/peer"}, files)
	if want := "-xcert /peer/identity.crt.pem -xprik /peer/identity.key.pem -ts /peer/truststore.pem"; strings.Join(args, " ") != want {
		t.Errorf("args %v", args)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestLaunchWritesPrivateKeysMode0600(t *testing.T) {
	requireJava(t)
	dir := t.TempDir()
	// A peer that exits at once: the files are written before it starts.
	_, err := launch(testCtx(t, time.Minute), launchSpec{
		kind: KindClient, mode: ModeProcess, dir: dir,
		files:  map[string][]byte{"k.pem": []byte("secret"), "c.pem": []byte("public")},
		secret: map[string]bool{"k.pem": true},
		args:   func(layout) []string { return []string{"-n"} },
	})
	if err == nil || !strings.Contains(err.Error(), "exited at start-up") {
		t.Fatalf("launch with a bad flag: %v", err)
	}
	for name, want := range map[string]os.FileMode{"k.pem": 0o600, "c.pem": 0o644} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %o", name, st.Mode().Perm(), err, want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "output.log")); !strings.Contains(string(b), "needs a value") {
		t.Errorf("output.log lacks the peer's complaint: %q", b)
	}
}

func TestClasspathNamesTheModule(t *testing.T) {
	j := Jars{Dir: t.TempDir()}
	if _, err := j.Classpath("nope"); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := j.Classpath(KindServer); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing SHA1SUMS: %v", err)
	}
	lines := fmt.Sprintf("%s  lwm2m/leshan-peers-lwm2m-1.jar\n%s  bootstrap/leshan-peers-bootstrap-1.jar\n", strings.Repeat("a", 40), strings.Repeat("b", 40))
	_ = os.WriteFile(filepath.Join(j.Dir, manifestName), []byte(lines), 0o644)
	if _, err := j.Classpath(KindServer); err == nil || !strings.Contains(err.Error(), "incomplete build of module lwm2m") {
		t.Errorf("build without libraries: %v", err)
	}
}
