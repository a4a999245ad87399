package sut

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// PSKKeyFile is where a case's evidence directory keeps its PSK (hex),
// readable by the owner only; a redacted key points there.
const PSKKeyFile = "psk.key"

// Secret is a key that must not reach a world-readable file, and what to
// write in its place.
type Secret struct {
	Key  []byte
	Note string
}

// Secrets are t's keys: its PSK (pointing to PSKKeyFile when the case
// directory has one) and its client private key.
func (t Target) Secrets() []Secret {
	var s []Secret
	if len(t.PSKKey) > 0 {
		s = append(s, Secret{Key: t.PSKKey, Note: PSKNote(t.Dir)})
	}
	if len(t.ClientKeyPKCS8) > 0 {
		s = append(s, Secret{Key: t.ClientKeyPKCS8, Note: RedactedPrivateKey})
	}
	return s
}

// PSKNote is what replaces a PSK: where to find it, if dir has it.
func PSKNote(dir string) string {
	if dir != "" {
		p := filepath.Join(dir, PSKKeyFile)
		if _, err := os.Stat(p); err == nil {
			return "<redacted, see " + p + " (0600)>"
		}
	}
	return "<redacted PSK>"
}

// RedactedPrivateKey replaces a private key.
const RedactedPrivateKey = "<redacted private key>"

// minSubstring is the shortest encoded key hidden wherever it occurs;
// shorter ones (a 1-byte PSK is two hex digits) only as a whole word, or
// no output would survive.
const minSubstring = 16

// minOtherForm is the shortest base64 or text form of a key looked for.
const minOtherForm = 8

// Redactor hides a case's secrets in what the harness records about a
// SUT: its command line, environment and output. A key is found as lower
// and upper case hex, base64 and, when printable, as text; any PEM private
// key block is hidden whatever key it holds.
type Redactor struct {
	pats []pattern
	note string // for a secret flag's value: the first PSK's note
}

type pattern struct {
	text  []byte
	word  bool // match only as a whole word
	repl  []byte
	begin bool // the start of a PEM block, not a key
}

var pemBegin = []byte("-----BEGIN ")

// NewRedactor hides secrets; with none it still hides PEM private keys.
func NewRedactor(secrets ...Secret) *Redactor {
	r := &Redactor{note: "<redacted>"}
	for _, s := range secrets {
		if len(s.Key) == 0 {
			continue
		}
		if r.note == "<redacted>" && s.Note != RedactedPrivateKey {
			r.note = s.Note
		}
		// Hex is how keys are provisioned; other encodings only where they
		// are long enough not to match ordinary words.
		forms := []string{hex.EncodeToString(s.Key), strings.ToUpper(hex.EncodeToString(s.Key))}
		if b := base64.RawStdEncoding.EncodeToString(s.Key); len(b) >= minOtherForm {
			forms = append(forms, b)
		}
		if printable(s.Key) && len(s.Key) >= minOtherForm {
			forms = append(forms, string(s.Key))
		}
		for _, f := range forms {
			r.pats = append(r.pats, pattern{text: []byte(f), word: len(f) < minSubstring, repl: []byte(s.Note)})
		}
	}
	r.pats = append(r.pats, pattern{text: pemBegin, begin: true})
	return r
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// String is s with the secrets hidden.
func (r *Redactor) String(s string) string {
	var b strings.Builder
	w := r.Writer(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// secretFlag names options whose value is a key whatever its encoding:
// --psk-key=…, -psk …, --secret-key ….
var secretFlag = regexp.MustCompile(`(?i)^--?(psk|psk[-_]?key|pre[-_]?shared[-_]?key|secret|secret[-_]?key)$`)

// secretEnv names environment variables that hold a key.
var secretEnv = regexp.MustCompile(`(?i)^(\w*_)?(psk|psk_?key|secret|secret_?key)$`)

// Command is c as a shell line, its secrets hidden: the value of a secret
// option or variable whole, any key anywhere else.
func (r *Redactor) Command(c Command) string {
	m := Command{Dir: c.Dir, Args: make([]string, len(c.Args)), Env: make([]string, len(c.Env))}
	for i, e := range c.Env {
		name, value, _ := strings.Cut(e, "=")
		if secretEnv.MatchString(name) && value != "" {
			value = r.note
		}
		m.Env[i] = name + "=" + r.String(value)
	}
	for i, a := range c.Args {
		name, _, hasValue := strings.Cut(a, "=")
		switch {
		case hasValue && secretFlag.MatchString(name):
			a = name + "=" + r.note
		case i > 0 && secretFlag.MatchString(c.Args[i-1]) && !strings.HasPrefix(a, "-"):
			a = r.note
		}
		m.Args[i] = r.String(a)
	}
	return m.String()
}
