package sut

import (
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// DeviceOptions are a device profile's `device:` key: the devices, the
// harness bootstrap server their factory bootstrap account points at, and
// how to start and reset them.
type DeviceOptions struct {
	Endpoints []string
	// Listen is the bootstrap server's address; port 0 (any free port) only
	// with Start, which hands the address to the devices.
	Listen   string
	Security string // nosec, psk or cert: the bootstrap account's security
	// PSK of the bootstrap account (psk).
	PSKIdentity string
	PSKKey      []byte
	// PEM files of the bootstrap server's certificate chain and key, and
	// optionally the CA that issued the devices' bootstrap certificates
	// (cert); paths relative to the profile.
	Certificate, PrivateKey, ClientCA string
	// ReturnTimeout bounds a device's way back to bootstrap after a case.
	ReturnTimeout time.Duration
	start, reset  []tmpl // argv templates; nil when not declared
}

// defaultReturnTimeout is ReturnTimeout when the profile leaves it out.
const defaultReturnTimeout = 30 * time.Second

// HasReset reports whether the profile declares a reset: command.
func (o DeviceOptions) HasReset() bool { return o.reset != nil }

func deviceOptions(n yamlpos.Node, o *DeviceOptions, dir string) error {
	known := []string{"endpoints", "bootstrap_server", "return_timeout", "start", "reset"}
	return n.Walk(known, func(key string, v yamlpos.Node) (err error) {
		switch key {
		case "endpoints":
			o.Endpoints, err = wordList(v, nil)
			if err == nil && len(o.Endpoints) == 0 {
				err = v.Errorf("must list at least one endpoint name")
			}
		case "bootstrap_server":
			err = bootstrapServerOptions(v, o, dir)
		case "return_timeout":
			o.ReturnTimeout, err = v.Duration()
			if err == nil && o.ReturnTimeout <= 0 {
				err = v.Errorf("must be positive")
			}
		case "start":
			o.start, err = command(v)
		case "reset":
			o.reset, err = command(v)
		}
		return err
	})
}

func bootstrapServerOptions(n yamlpos.Node, o *DeviceOptions, dir string) error {
	file := func(v yamlpos.Node) (string, error) {
		s, err := v.Str()
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(s) {
			s = filepath.Join(dir, s)
		}
		if _, err := os.Stat(s); err != nil {
			return "", v.Errorf("%v", err)
		}
		return s, nil
	}
	known := []string{"listen", "security", "psk_identity", "psk_key", "certificate", "private_key", "client_ca"}
	return n.Walk(known, func(key string, v yamlpos.Node) (err error) {
		switch key {
		case "listen":
			o.Listen, err = v.Str()
			if _, _, perr := net.SplitHostPort(o.Listen); err == nil && perr != nil {
				err = v.Errorf("must be host:port, e.g. 127.0.0.1:5783 (%v)", perr)
			}
		case "security":
			o.Security, err = v.Str()
			if err == nil && o.Security != "nosec" && o.Security != "psk" && o.Security != "cert" {
				err = v.Errorf("unknown value %q (want one of nosec, psk, cert)", o.Security)
			}
		case "psk_identity":
			o.PSKIdentity, err = v.Str()
		case "psk_key":
			var s string
			if s, err = v.Str(); err == nil {
				if o.PSKKey, err = hex.DecodeString(s); err != nil || len(o.PSKKey) == 0 {
					err = v.Errorf("must be the key in hex")
				}
			}
		case "certificate":
			o.Certificate, err = file(v)
		case "private_key":
			o.PrivateKey, err = file(v)
		case "client_ca":
			o.ClientCA, err = file(v)
		}
		return err
	})
}

// checkDevice checks what single keys cannot: the bootstrap server's
// security has its credentials, a free port is only asked for when the
// harness starts the devices, and the start/reset templates render.
func checkDevice(root yamlpos.Node, p *Profile, o *DeviceOptions) error {
	bad := func(field, msg string) error {
		return &yamlpos.Error{File: p.Path, Line: root.Line(), Field: field, Msg: msg}
	}
	switch {
	case len(o.Endpoints) == 0:
		return bad("device.endpoints", "missing: list the endpoint name of each device")
	case o.Listen == "":
		return bad("device.bootstrap_server.listen", "missing: the address the devices' bootstrap account points at")
	case o.Security == "":
		o.Security = "nosec"
	}
	if _, port, _ := net.SplitHostPort(o.Listen); port == "0" && o.start == nil {
		return bad("device.bootstrap_server.listen", "port 0 (any free port) needs device.start, which hands the address to the devices")
	}
	switch o.Security {
	case "psk":
		if o.PSKIdentity == "" || o.PSKKey == nil {
			return bad("device.bootstrap_server", "security psk needs psk_identity and psk_key")
		}
	case "cert":
		if o.Certificate == "" || o.PrivateKey == "" {
			return bad("device.bootstrap_server", "security cert needs certificate and private_key")
		}
	}
	d, err := newTemplateData(sampleTarget(), p.profileDir, true)
	if err != nil {
		return err
	}
	for _, argv := range [][]tmpl{o.start, o.reset} {
		for _, t := range argv {
			if _, err := t.render(d); err != nil {
				return &yamlpos.Error{File: p.Path, Line: t.line, Field: "device." + t.field, Msg: err.Error()}
			}
		}
	}
	return nil
}

// renderArgv renders an argv template for one device: {{.Endpoint}} is the
// device, {{.Dir}} its directory, {{.BootstrapURI}} the harness bootstrap
// server.
func (p *Profile) renderArgv(argv []tmpl, ep, dir, bsURI string) (Command, error) {
	t := Target{Endpoint: ep, ServerURI: bsURI, Mode: "nosec", LwM2M: "1.1", Usage: -1, Dir: dir}
	d, err := newTemplateData(t, p.profileDir, false)
	if err != nil {
		return Command{}, err
	}
	d.bootstrapURI = bsURI
	q := &Profile{Path: p.Path, command: argv}
	return q.renderData(d)
}
