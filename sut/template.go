package sut

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// HarnessEnv overrides the path of the harness binary that profiles see as
// {{.Harness}} (tests run from a test binary, not from lwm2m-conform).
const HarnessEnv = "LWM2M_CONFORM_BIN"

// TemplateData is what a profile's templates are executed against: the
// Target's values as strings ready for a command line, and its credentials
// as files (the methods of the embedded *Files, written on first use).
// fixtures/sut/README.md documents every field.
type TemplateData struct {
	Harness    string // absolute path of the lwm2m-conform binary
	ProfileDir string // absolute directory of the profile file
	CaseID     string
	Endpoint   string
	ServerURI  string
	ServerHost string // host of ServerURI, IPv6 without brackets
	ServerPort string // port of ServerURI, the scheme's default if absent
	Mode       string // cert | psk | nosec
	ModeID     string // the same as /0/x/2: "2" | "0" | "3"
	LwM2M      string // "1.1"

	PSKIdentity    string
	PSKIdentityHex string
	PSKKeyHex      string
	Usage          string // "0".."3"; "" when unset
	SNI            string
	CipherSuites   string // "0xC0A8,0xC02B"; "" when unset
	CID            bool
	Lifetime       string // registration lifetime like "4s"; "" = the client's default
	StateFile      string // absolute; "" when the case needs no persistence

	// Bootstrap is true when .ServerURI is a bootstrap server (est cases):
	// the credentials are the bootstrap account's, and the client gets
	// its server accounts from it, one in Security Mode 4.
	Bootstrap bool
	// ESTStateFile is where the client persists its EST state (key,
	// certificate, /crts anchors): .StateFile with ".est" appended, "" when
	// the case needs no persistence.
	ESTStateFile string
	// ESTNominalUsage and ESTMaxMargin are the re-enrollment policy the
	// harness judges /sren timing by: seed 002 §10.3.3.1's default, "0.9"
	// and "720h" (30 days).
	ESTNominalUsage string
	ESTMaxMargin    string

	KeyLogFile string // absolute; "" when no key log is wanted
	Dir        string // the case directory, absolute
	Verbose    bool

	// CipherSuiteNames is .CipherSuites as IANA names,
	// "TLS_PSK_WITH_AES_128_CCM_8,TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8".
	CipherSuiteNames string
	// LifetimeSeconds is .Lifetime in whole seconds, "4"; "" when unset.
	LifetimeSeconds string

	*Files

	// bootstrapURI is the harness bootstrap server's URI when the
	// bootstrap adapter renders the profile (see BootstrapURI);
	// namesBootstrapURI records that a dry rendering asked for it.
	bootstrapURI      string
	namesBootstrapURI bool
}

// newTemplateData prepares t for rendering; dry names files without
// writing them.
func newTemplateData(t Target, profileDir string, dry bool) (*TemplateData, error) {
	files, err := NewFiles(t)
	if err != nil {
		return nil, err
	}
	files.dry = dry
	harness, err := harnessPath()
	if err != nil {
		return nil, err
	}
	d := &TemplateData{
		Harness:        harness,
		ProfileDir:     profileDir,
		CaseID:         t.CaseID,
		Endpoint:       t.Endpoint,
		ServerURI:      t.ServerURI,
		Mode:           t.Mode,
		ModeID:         modeID(t.Mode),
		LwM2M:          t.LwM2M,
		PSKIdentity:    t.PSKIdentity,
		PSKIdentityHex: hex.EncodeToString([]byte(t.PSKIdentity)),
		PSKKeyHex:      hex.EncodeToString(t.PSKKey),
		SNI:            t.SNI,
		CipherSuites:   cipherSuiteList(t.CipherSuites),
		CID:            t.ConnectionID,
		Bootstrap:      t.Bootstrap,
		Dir:            files.dir,
		Verbose:        t.Verbose,
		Files:          files,
	}
	d.CipherSuiteNames = cipherSuiteNames(t.CipherSuites)
	if t.Usage >= 0 {
		d.Usage = strconv.Itoa(t.Usage)
	}
	if t.Lifetime > 0 {
		d.Lifetime = t.Lifetime.String()
		d.LifetimeSeconds = strconv.FormatInt(int64((t.Lifetime+time.Second-1)/time.Second), 10)
	}
	if t.StateFile != "" {
		if d.StateFile, err = filepath.Abs(t.StateFile); err != nil {
			return nil, fmt.Errorf("state file: %w", err)
		}
	}
	if d.StateFile != "" {
		d.ESTStateFile = d.StateFile + ".est"
	}
	d.ESTNominalUsage, d.ESTMaxMargin = estNominalUsage, estMaxMargin
	if t.KeyLogFile != "" {
		if d.KeyLogFile, err = filepath.Abs(t.KeyLogFile); err != nil {
			return nil, fmt.Errorf("key log file: %w", err)
		}
	}
	if t.ServerURI != "" {
		if d.ServerHost, d.ServerPort, err = splitServerURI(t.ServerURI); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// The re-enrollment policy of .ESTNominalUsage and .ESTMaxMargin.
const (
	estNominalUsage = "0.9"
	estMaxMargin    = "720h"
)

func harnessPath() (string, error) {
	if p := os.Getenv(HarnessEnv); p != "" {
		return filepath.Abs(p)
	}
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("path of the harness binary: %w (set %s)", err, HarnessEnv)
	}
	return p, nil
}

func modeID(mode string) string {
	switch mode {
	case "psk":
		return "0"
	case "cert":
		return "2"
	case "nosec":
		return "3"
	}
	return ""
}

func cipherSuiteList(ids []uint16) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("0x%04X", id)
	}
	return strings.Join(parts, ",")
}

// cipherSuiteNames names each suite as the IANA registry does; a suite
// without a name stays in hex, for the SUT to refuse.
func cipherSuiteNames(ids []uint16) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = dtlswire.CipherSuiteName(id)
	}
	return strings.Join(parts, ",")
}

func splitServerURI(uri string) (host, port string, err error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", "", fmt.Errorf("server URI: %w", err)
	}
	if u.Hostname() == "" {
		return "", "", fmt.Errorf("server URI %q has no host", uri)
	}
	port = u.Port()
	if port == "" {
		switch u.Scheme {
		case "coap":
			port = "5683"
		case "coaps":
			port = "5684"
		default:
			return "", "", fmt.Errorf("server URI %q: no port and unknown scheme %q", uri, u.Scheme)
		}
	}
	return u.Hostname(), port, nil
}

// tmpl is one templated value of a profile, with where it was written.
type tmpl struct {
	field string // e.g. "command[3]"
	line  int
	src   string
	t     *template.Template
}

func parseTmpl(field string, line int, src string) (tmpl, error) {
	t, err := template.New(field).Option("missingkey=error").Parse(src)
	if err != nil {
		return tmpl{}, templateError(err)
	}
	return tmpl{field: field, line: line, src: src, t: t}, nil
}

func (t tmpl) render(d *TemplateData) (string, error) {
	var b strings.Builder
	if err := t.t.Execute(&b, d); err != nil {
		return "", templateError(err)
	}
	return b.String(), nil
}

var (
	// text/template prefixes its messages with the template name and
	// position, which the profile error already gives as file:line: field.
	tmplPrefix   = regexp.MustCompile(`^template: [^:]*:\d+(:\d+)?: (executing "[^"]*" at <[^>]*>: )?`)
	unknownField = regexp.MustCompile(`can't evaluate field (\w+) in type`)
)

func templateError(err error) error {
	msg := err.Error()
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("template: unknown field .%s", m[1])
	}
	return fmt.Errorf("template: %s", tmplPrefix.ReplaceAllString(msg, ""))
}
