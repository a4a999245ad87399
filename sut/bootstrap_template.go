package sut

import "fmt"

// sampleBootstrapURI is what {{.BootstrapURI}} renders to when a profile
// is checked at load time.
const sampleBootstrapURI = "coap://127.0.0.1:5783"

// BootstrapURI is the URI of the harness bootstrap server the client must
// bootstrap from. Only the bootstrap adapter sets it: a profile naming it
// cannot run as a plain exec profile, which would start the client against
// no bootstrap server at all.
func (d *TemplateData) BootstrapURI() (string, error) {
	if d.dry {
		d.namesBootstrapURI = true
		return sampleBootstrapURI, nil
	}
	if d.bootstrapURI == "" {
		return "", fmt.Errorf("{{.BootstrapURI}} is only set when the profile runs through the bootstrap adapter (NewBootstrap)")
	}
	return d.bootstrapURI, nil
}

// UsesBootstrap reports whether p's templates name {{.BootstrapURI}}: such
// a profile provisions its client through the harness bootstrap server and
// must run through NewBootstrap.
func UsesBootstrap(p *Profile) bool {
	names, err := p.dryNames()
	return err == nil && names.bootstrapURI
}

// dryUse is what a dry rendering of a profile named.
type dryUse struct {
	bootstrapURI bool
}

// dryNames renders every template of p against the sample Target without
// writing files, and reports which values they asked for.
func (p *Profile) dryNames() (dryUse, error) {
	d, err := newTemplateData(sampleTarget(), p.profileDir, true)
	if err != nil {
		return dryUse{}, err
	}
	if _, err := p.renderData(d); err != nil {
		return dryUse{}, err
	}
	return dryUse{bootstrapURI: d.namesBootstrapURI}, nil
}

// renderBootstrap renders p for t, with {{.BootstrapURI}} set to uri.
func (p *Profile) renderBootstrap(t Target, uri string) (Command, error) {
	d, err := newTemplateData(t, p.profileDir, false)
	if err != nil {
		return Command{}, err
	}
	d.bootstrapURI = uri
	return p.renderData(d)
}

// renderData is Render's loop over command, workdir and env for prepared
// template data.
func (p *Profile) renderData(d *TemplateData) (Command, error) {
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
		var err error
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
