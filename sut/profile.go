package sut

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
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
	// Baseline maps a case id to the reason it is a known deviation.
	Baseline map[string]string

	profileDir string // absolute directory of Path, for {{.ProfileDir}}
	command    []tmpl
	workdir    *tmpl // nil: the case directory
	env        []envVar
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
// errors of the form "file:line: field: message".
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("SUT profile: %w", err)
	}
	p, err := parseProfile(path, data)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parseProfile(path string, data []byte) (*Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty profile", path)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	p := &Profile{Path: path, Timeouts: DefaultTimeouts, Baseline: map[string]string{}}
	r := nodeReader{file: path}
	root := doc.Content[0]
	known := []string{"name", "description", "command", "workdir", "env", "capabilities", "timeouts", "baseline"}
	err = r.mapping(root, "", known, func(key string, v *yaml.Node) (err error) {
		switch key {
		case "name":
			p.Name, err = r.scalar(v, key)
		case "description":
			p.Description, err = r.scalar(v, key)
		case "command":
			p.command, err = r.command(v)
		case "workdir":
			var t tmpl
			t, err = r.template(v, key)
			p.workdir = &t
		case "env":
			p.env, err = r.env(v)
		case "capabilities":
			err = r.structFields(v, key, &p.Capabilities)
		case "timeouts":
			err = r.structFields(v, key, &p.Timeouts)
		case "baseline":
			err = r.baseline(v, p.Baseline)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if len(p.command) == 0 {
		return nil, r.errf(root, "command", "missing: the profile must give the command line to run")
	}
	p.profileDir = dir
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

func (r nodeReader) template(n *yaml.Node, field string) (tmpl, error) {
	src, err := r.scalar(n, field)
	if err != nil {
		return tmpl{}, err
	}
	t, err := parseTmpl(field, n.Line, src)
	if err != nil {
		return tmpl{}, r.errf(n, field, "%v", err)
	}
	return t, nil
}

func (r nodeReader) command(n *yaml.Node) ([]tmpl, error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, r.errf(n, "command", "must be a non-empty list (argv)")
	}
	out := make([]tmpl, len(n.Content))
	for i, el := range n.Content {
		t, err := r.template(el, fmt.Sprintf("command[%d]", i))
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func (r nodeReader) env(n *yaml.Node) ([]envVar, error) {
	if n.Kind != yaml.MappingNode {
		return nil, r.errf(n, "env", "must be a mapping NAME: value")
	}
	var out []envVar
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "env." + k.Value
		if k.Value == "" || strings.ContainsAny(k.Value, "= \t\n") {
			return nil, r.errf(k, field, "bad variable name %q", k.Value)
		}
		if seen[k.Value] {
			return nil, r.errf(k, field, "repeated variable")
		}
		seen[k.Value] = true
		t, err := r.template(v, field)
		if err != nil {
			return nil, err
		}
		out = append(out, envVar{name: k.Value, value: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

func (r nodeReader) baseline(n *yaml.Node, into map[string]string) error {
	if n.Kind != yaml.SequenceNode {
		return r.errf(n, "baseline", "must be a list of {case, reason}")
	}
	for i, el := range n.Content {
		field := fmt.Sprintf("baseline[%d]", i)
		var id, reason string
		err := r.mapping(el, field, []string{"case", "reason"}, func(key string, v *yaml.Node) (err error) {
			if key == "case" {
				id, err = r.scalar(v, field+".case")
			} else {
				reason, err = r.scalar(v, field+".reason")
			}
			return err
		})
		if err != nil {
			return err
		}
		switch {
		case id == "":
			return r.errf(el, field, "missing case id")
		case strings.TrimSpace(reason) == "":
			return r.errf(el, field, "case %s: missing reason (say why the deviation is accepted)", id)
		case into[id] != "":
			return r.errf(el, field, "case %s is listed twice", id)
		}
		into[id] = reason
	}
	return nil
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
			return &profileError{file: p.Path, line: t.line, field: t.field, msg: err.Error()}
		}
	}
	if s, _ := p.command[0].render(d); s == "" {
		t := p.command[0]
		return &profileError{file: p.Path, line: t.line, field: t.field, msg: "the program name renders empty"}
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
	var c Command
	for i, a := range p.command {
		s, err := a.render(d)
		if err != nil {
			return Command{}, fmt.Errorf("%s: %s: %w", p.Path, a.field, err)
		}
		if i == 0 && s == "" {
			return Command{}, fmt.Errorf("%s: command[0]: the program name renders empty", p.Path)
		}
		if s != "" {
			c.Args = append(c.Args, s)
		}
	}
	c.Dir = d.Dir
	if p.workdir != nil {
		if c.Dir, err = p.workdir.render(d); err != nil {
			return Command{}, fmt.Errorf("%s: workdir: %w", p.Path, err)
		}
	}
	for _, e := range p.env {
		v, err := e.value.render(d)
		if err != nil {
			return Command{}, fmt.Errorf("%s: %s: %w", p.Path, e.value.field, err)
		}
		if v != "" {
			c.Env = append(c.Env, e.name+"="+v)
		}
	}
	return c, nil
}
