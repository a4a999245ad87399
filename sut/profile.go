package sut

import (
	"crypto/x509"
	"fmt"
	"gopkg.in/yaml.v3"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// Profile describes how to run one client under test: a templated command
// line, what the client supports, how long it may take, and the deviations
// already known.
type Profile struct {
	Name        string
	Description string
	// Path is the file the profile was loaded from.
	Path         string
	Capabilities Capabilities
	Timeouts     Timeouts
	// Baseline maps a case id to its known deviation.
	Baseline map[string]Deviation
	// Bootstrap tells the bootstrap adapter where the client keeps its
	// own bootstrap account.
	Bootstrap BootstrapOptions

	profileDir string // absolute directory of Path, for {{.ProfileDir}}
	command    []tmpl
	workdir    *tmpl // nil: the case directory
	env        []envVar
	// refs are the template fields the profile names anywhere, so that a
	// case value it never passes is known before the case runs.
	refs map[string]bool
}

// Timeouts bound the phases of a case for a SUT.
type Timeouts struct {
	Start     time.Duration `yaml:"start"`     // from Start to the first ClientHello
	Handshake time.Duration `yaml:"handshake"` // one handshake
	Case      time.Duration `yaml:"case"`      // the whole case
}

// DefaultTimeouts apply to what a profile leaves out.
var DefaultTimeouts = Timeouts{Start: 5 * time.Second, Handshake: 10 * time.Second, Case: 20 * time.Second}

type envVar struct {
	name  string
	value tmpl
}

// Command is a profile rendered for one Target.
type Command struct {
	Args []string
	Dir  string   // working directory; "" = the harness's
	Env  []string // NAME=value, added to the harness's environment
}

// String is the command as a shell line a person can paste to rerun it.
func (c Command) String() string {
	parts := make([]string, 0, len(c.Env)+len(c.Args))
	for _, e := range c.Env {
		name, value, _ := strings.Cut(e, "=")
		parts = append(parts, name+"="+shellQuote(value))
	}
	for _, a := range c.Args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// LoadProfile reads and checks a profile. It is strict: unknown fields, bad
// values and templates that do not parse or name an unknown field are
// errors of the form "file:line: field: message". A device profile gives
// its per-case part (Load runs it through NewDevice).
func LoadProfile(path string) (*Profile, error) {
	p, _, err := readProfile(path)
	return p, err
}

// readProfile reads either kind of profile: one with a per-case command,
// or a device profile (a `device:` key instead), whose options it also
// returns. The keys both kinds share are read by the same code.
func readProfile(path string) (*Profile, *DeviceOptions, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("SUT profile: %w", err)
	}
	return parseProfileData(path, data)
}

// parseProfile reads a per-case profile (tests give the data inline).
func parseProfile(path string, data []byte) (*Profile, error) {
	p, _, err := parseProfileData(path, data)
	return p, err
}

func parseProfileData(path string, data []byte) (*Profile, *DeviceOptions, error) {
	top, err := yamlpos.Document(path, data)
	if err != nil {
		return nil, nil, err
	}
	if top == nil {
		return nil, nil, fmt.Errorf("%s: empty profile", path)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, nil, err
	}
	p := &Profile{Path: path, Timeouts: DefaultTimeouts, Baseline: map[string]Deviation{}, profileDir: dir}
	src := &yamlpos.Source{File: path, Wording: wording, RejectNull: true}
	root := src.Root(top)
	known := []string{"name", "description", "capabilities", "timeouts", "baseline", "bootstrap"}
	var o *DeviceOptions
	if hasKey(top, "device") {
		o = &DeviceOptions{ReturnTimeout: defaultReturnTimeout}
		known = append(known, "device")
	} else {
		known = append(known, "command", "workdir", "env")
	}
	var bootstrapKey yamlpos.Node
	err = root.Walk(known, func(key string, v yamlpos.Node) (err error) {
		switch key {
		case "name":
			p.Name, err = v.Str()
		case "description":
			p.Description, err = v.Str()
		case "command":
			p.command, err = command(v)
		case "workdir":
			var t tmpl
			t, err = readTmpl(v)
			p.workdir = &t
		case "env":
			p.env, err = env(v)
		case "capabilities":
			if err = structFields(v, &p.Capabilities); err == nil {
				err = checkCertificateProfile(v, &p.Capabilities, dir)
			}
		case "timeouts":
			err = structFields(v, &p.Timeouts)
		case "baseline":
			err = baseline(v, p.Baseline)
		case "bootstrap":
			bootstrapKey = v
			err = bootstrapOptions(v, &p.Bootstrap)
		case "device":
			err = deviceOptions(v, o, dir)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if o != nil {
		if err := checkDevice(root, p, o); err != nil {
			return nil, nil, err
		}
		return p, o, nil
	}
	if len(p.command) == 0 {
		return nil, nil, &yamlpos.Error{File: path, Line: root.Line(), Field: "command", Msg: "missing: the profile must give the command line to run"}
	}
	if err := p.check(); err != nil {
		return nil, nil, err
	}
	p.refs = p.fieldRefs()
	if !bootstrapKey.IsZero() && !UsesBootstrap(p) {
		return nil, nil, bootstrapKey.Errorf("only for a profile provisioned through bootstrap (one whose templates name {{.BootstrapURI}})")
	}
	return p, nil, nil
}

// hasKey reports whether a YAML mapping has the top-level key.
func hasKey(n *yaml.Node, key string) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func readTmpl(n yamlpos.Node) (tmpl, error) {
	src, err := n.Str()
	if err != nil {
		return tmpl{}, err
	}
	t, err := parseTmpl(n.Field(), n.Line(), src)
	if err != nil {
		return tmpl{}, n.Errorf("%v", err)
	}
	return t, nil
}

func command(n yamlpos.Node) ([]tmpl, error) {
	items, err := n.Items()
	if err != nil || len(items) == 0 {
		return nil, n.Errorf("must be a non-empty list (argv)")
	}
	out := make([]tmpl, len(items))
	for i, el := range items {
		if out[i], err = readTmpl(el); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// env reads NAME: value pairs; the names are data, so they are checked
// here rather than against a list of known keys.
func env(n yamlpos.Node) ([]envVar, error) {
	pairs, err := n.Pairs()
	if err != nil {
		return nil, n.Errorf("must be a mapping NAME: value")
	}
	var out []envVar
	seen := map[string]bool{}
	for _, kv := range pairs {
		name := kv.Key.Value()
		if name == "" || strings.ContainsAny(name, "= \t\n") {
			return nil, kv.Key.Errorf("bad variable name %q", name)
		}
		if seen[name] {
			return nil, kv.Key.Errorf("repeated variable")
		}
		seen[name] = true
		t, err := readTmpl(kv.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, envVar{name: name, value: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// check renders every template once against a sample Target, without
// writing files, so that a misspelt field is found at load time rather
// than in the middle of a run.
func (p *Profile) check() error {
	d, err := newTemplateData(sampleTarget(), p.profileDir, true)
	if err != nil {
		return err
	}
	all := append([]tmpl(nil), p.command...)
	if p.workdir != nil {
		all = append(all, *p.workdir)
	}
	for _, e := range p.env {
		all = append(all, e.value)
	}
	for _, t := range all {
		if _, err := t.render(d); err != nil {
			return &yamlpos.Error{File: p.Path, Line: t.line, Field: t.field, Msg: err.Error()}
		}
	}
	if s, _ := p.command[0].render(d); s == "" {
		t := p.command[0]
		return &yamlpos.Error{File: p.Path, Line: t.line, Field: t.field, Msg: "the program name renders empty"}
	}
	return nil
}

// sampleTarget has every value set, so that every template branch that
// depends on a value being present is exercised by check.
func sampleTarget() Target {
	cert := &x509.Certificate{Raw: []byte{0x30}, RawSubject: []byte{0x30, 0}}
	return Target{
		CaseID: "sample/case", Endpoint: "sample-endpoint",
		ServerURI: "coaps://localhost:5684", Mode: "cert", LwM2M: "1.1",
		PSKIdentity: "sample-identity", PSKKey: []byte{1, 2, 3, 4},
		Usage: 3, ServerPublicKey: []byte{0x30}, TrustStore: []*x509.Certificate{cert},
		SNI: "localhost", CipherSuites: []uint16{0xC0A8},
		ClientCertDER: []byte{0x30}, ClientKeyPKCS8: []byte{0x30},
		ConnectionID: true, Dir: filepath.Join(os.TempDir(), "lwm2m-conform-sample"),
		KeyLogFile: filepath.Join(os.TempDir(), "lwm2m-conform-sample", "sslkeylog.txt"),
	}
}

// Render produces the command for t, writing into t.Dir the files its
// templates name. An argument that renders to "" is dropped, and so is an
// environment variable, so optional options are written
// "{{with .SNI}}--sni={{.}}{{end}}".
func (p *Profile) Render(t Target) (Command, error) {
	d, err := newTemplateData(t, p.profileDir, false)
	if err != nil {
		return Command{}, err
	}
	return p.renderData(d)
}
