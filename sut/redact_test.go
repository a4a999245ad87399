package sut

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

var (
	testPSK   = bytes.Repeat([]byte{0x5a, 0x01, 0xc3}, 6) // 18 bytes
	shortPSK  = []byte{0x5b}
	testPKCS8 = bytes.Repeat([]byte{0x30, 0x82, 0x01}, 40)
)

func testRedactor() *Redactor {
	return NewRedactor(Secret{Key: testPSK, Note: "<PSK>"}, Secret{Key: shortPSK, Note: "<short>"},
		Secret{Key: testPKCS8, Note: RedactedPrivateKey})
}

func TestRedactorHidesKeysInEveryForm(t *testing.T) {
	h := hex.EncodeToString(testPSK)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: testPKCS8}))
	pemCert := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("cert")}))
	for _, c := range []struct{ in, want string }{
		{"key " + h + " end", "key <PSK> end"},
		{"KEY=" + strings.ToUpper(h) + ";", "KEY=<PSK>;"},
		{"b64 " + base64.StdEncoding.EncodeToString(testPSK), "b64 <PSK>"},
		{"dump 00" + h + "ff", "dump 00<PSK>ff"},
		// A short key only as a whole word.
		{"psk 5b, not 5bad or a5b", "psk <short>, not 5bad or a5b"},
		{"5B", "<short>"},
		{"before\n" + pemKey + "after", "before\n" + RedactedPrivateKey + "\nafter"},
		{"any key: -----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----", "any key: " + RedactedPrivateKey},
		{pemCert, pemCert},
		{"cut -----BEGIN RSA PRIVATE KEY-----\nMIIE", "cut " + RedactedPrivateKey + "[... private key block without an END line ...]"},
		{"nothing secret", "nothing secret"},
	} {
		if got := testRedactor().String(c.in); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// However the output is split into writes, the result is the same, and
// text that cannot begin a secret is passed on at once.
func TestRedactWriterStreams(t *testing.T) {
	h := hex.EncodeToString(testPSK)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: testPKCS8}))
	in := strings.Repeat("line one 5b\n"+h+" x "+pemKey+"5bb 5b\n", 20)
	want := testRedactor().String(in)
	if strings.Contains(want, h) || strings.Contains(want, "MII") || strings.Count(want, "<short>") != 40 {
		t.Fatalf("not redacted: %q", want[:200])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var b bytes.Buffer
		w := testRedactor().Writer(&b)
		for rest := in; rest != ""; {
			n := min(len(rest), 1+rng.IntN(40))
			w.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		w.Close()
		if b.String() != want {
			t.Fatalf("split writes:\n got %q\nwant %q", b.String(), want)
		}
	}
	var b bytes.Buffer
	w := testRedactor().Writer(&b)
	w.Write([]byte("SUT started\n"))
	if b.String() != "SUT started\n" {
		t.Errorf("held back %q", "SUT started\n")
	}
}

func TestRedactorCommand(t *testing.T) {
	h := hex.EncodeToString(testPSK)
	c := Command{
		Args: []string{"client", "--psk-identity=conform-psk", "--psk-key=" + h, "-psk", base64.StdEncoding.EncodeToString(testPSK),
			"--secret-key", "c2VjcmV0", "-p", h, "--key=/case/client-key.der", "--port", "5684", "--psk=" + strings.ToUpper(h)},
		Env: []string{"SUT_PSK_KEY=anything", "LOG=" + h, "PSK_IDENTITY=conform-psk"},
	}
	got := testRedactor().Command(c)
	want := "SUT_PSK_KEY='<PSK>' LOG='<PSK>' PSK_IDENTITY=conform-psk client --psk-identity=conform-psk '--psk-key=<PSK>' -psk '<PSK>' " +
		"--secret-key '<PSK>' -p '<PSK>' --key=/case/client-key.der --port 5684 '--psk=<PSK>'"
	if got != want {
		t.Errorf("command\n got %s\nwant %s", got, want)
	}
}

func TestPSKNotePointsToTheKeyFile(t *testing.T) {
	dir := t.TempDir()
	if n := PSKNote(dir); n != "<redacted PSK>" {
		t.Errorf("without the file: %q", n)
	}
	if err := writeFile(dir+"/"+PSKKeyFile, []byte("00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := PSKNote(dir); n != "<redacted, see "+dir+"/psk.key (0600)>" {
		t.Errorf("with the file: %q", n)
	}
}

// An exec SUT's recorded command line, output and output log hide its PSK;
// a dump of the key file too.
func TestExecRecordsNoSecret(t *testing.T) {
	dir := t.TempDir()
	if err := writeFile(dir+"/"+PSKKeyFile, []byte(hex.EncodeToString(testPSK)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tg := Target{Mode: "psk", PSKIdentity: "id", PSKKey: testPSK, Usage: -1, Dir: dir}
	inst := startScript(t, context.Background(), "echo {{.PSKIdentity}} using {{.PSKKeyHex}}; cat {{.Dir}}/psk.key", tg)
	waitDone(t, inst, 5*time.Second)
	log, err := os.ReadFile(dir + "/" + outputFile)
	if err != nil {
		t.Fatal(err)
	}
	note := "<redacted, see " + dir + "/psk.key (0600)>"
	want := "id using " + note + "\n" + note + "\n"
	if inst.Output() != want || string(log) != want {
		t.Errorf("output %q, log %q, want %q", inst.Output(), log, want)
	}
	if c := inst.Command(); strings.Contains(c, hex.EncodeToString(testPSK)) || !strings.Contains(c, "echo id using "+note) {
		t.Errorf("command %s", c)
	}
}
