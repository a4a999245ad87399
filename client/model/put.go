package model

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// secBootstrapTimeout is /0/x/12, Bootstrap-Server Account Timeout.
const secBootstrapTimeout uint16 = 12

// PutSecurity creates or replaces Security instance s.Instance with the
// values of s (factory bootstrap, configuration file). Unset optional
// fields (zero SSID, hold-off and timeout, empty SNI, nil CertUsage and
// CipherSuites) leave their resources absent.
func (m *Model) PutSecurity(s Security) error {
	if err := s.check(); err != nil {
		return err
	}
	in := instance{
		lwm2m.SecServerURI:       {value: lwm2m.String(s.URI)},
		lwm2m.SecBootstrapServer: {value: lwm2m.Bool(s.Bootstrap)},
		lwm2m.SecSecurityMode:    {value: lwm2m.Int(int64(s.Mode))},
		lwm2m.SecPublicKeyOrID:   {value: lwm2m.Opaque(s.PublicKeyOrIdentity)},
		lwm2m.SecServerPublicKey: {value: lwm2m.Opaque(s.ServerPublicKey)},
		lwm2m.SecSecretKey:       {value: lwm2m.Opaque(s.SecretKey)},
	}
	if s.ShortServerID != 0 {
		in[lwm2m.SecShortServerID] = &resource{value: lwm2m.Int(int64(s.ShortServerID))}
	}
	if s.ClientHoldOff != 0 {
		in[lwm2m.SecClientHoldOff] = &resource{value: lwm2m.Int(int64(s.ClientHoldOff.Seconds()))}
	}
	if s.BootstrapTimeout != 0 {
		in[secBootstrapTimeout] = &resource{value: lwm2m.Int(int64(s.BootstrapTimeout.Seconds()))}
	}
	if s.SNI != "" {
		in[lwm2m.SecSNI] = &resource{value: lwm2m.String(s.SNI)}
	}
	if s.CertUsage != nil {
		in[lwm2m.SecCertificateUsage] = &resource{value: lwm2m.Uint(uint64(*s.CertUsage))}
	}
	if s.CipherSuites != nil {
		r := &resource{multi: true, inst: map[uint16]lwm2m.Value{}}
		for i, cs := range s.CipherSuites {
			r.inst[uint16(i)] = lwm2m.Uint(uint64(cs))
		}
		in[lwm2m.SecCipherSuite] = r
	}
	m.putInstance(lwm2m.ObjSecurity, s.Instance, in)
	return nil
}

// PutServer creates or replaces Server instance s.Instance with the values
// of s. Zero DefaultPmin, DefaultPmax and DisableTimeout leave those
// resources absent; an empty Binding is stored as "U".
func (m *Model) PutServer(s Server) error {
	if err := s.check(); err != nil {
		return err
	}
	binding := s.Binding
	if binding == "" {
		binding = "U"
	}
	in := instance{
		lwm2m.SrvShortServerID: {value: lwm2m.Int(int64(s.ShortServerID))},
		lwm2m.SrvLifetime:      {value: lwm2m.Int(int64(s.Lifetime.Seconds()))},
		lwm2m.SrvNotifStoring:  {value: lwm2m.Bool(s.NotificationStoring)},
		lwm2m.SrvBinding:       {value: lwm2m.String(binding)},
	}
	if s.DefaultPmin != 0 {
		in[lwm2m.SrvDefaultPmin] = &resource{value: lwm2m.Int(int64(s.DefaultPmin.Seconds()))}
	}
	if s.DefaultPmax != 0 {
		in[lwm2m.SrvDefaultPmax] = &resource{value: lwm2m.Int(int64(s.DefaultPmax.Seconds()))}
	}
	if s.DisableTimeout != 0 {
		in[lwm2m.SrvDisableTimeout] = &resource{value: lwm2m.Int(int64(s.DisableTimeout.Seconds()))}
	}
	m.putInstance(lwm2m.ObjServer, s.Instance, in)
	return nil
}

func (m *Model) putInstance(obj, id uint16, in instance) {
	m.mu.Lock()
	m.objects[obj][id] = in
	m.mu.Unlock()
	m.notify([]lwm2m.Path{lwm2m.NewPath(obj, id)})
}

// check rejects values no Security instance may hold.
func (s Security) check() error {
	if s.Instance == 65535 {
		return badRequest("security instance id 65535 is reserved")
	}
	if s.URI == "" {
		return badRequest("security instance %d: empty server URI", s.Instance)
	}
	if s.Mode < ModePSK || s.Mode > ModeCertEST {
		return badRequest("security instance %d: security mode %d is not 0..4", s.Instance, s.Mode)
	}
	if s.ShortServerID == 65535 {
		return badRequest("security instance %d: short server id 65535 is reserved", s.Instance)
	}
	if s.CertUsage != nil && (*s.CertUsage < 0 || *s.CertUsage > 3) {
		return badRequest("security instance %d: certificate usage %d is not 0..3", s.Instance, *s.CertUsage)
	}
	if s.ClientHoldOff < 0 || s.BootstrapTimeout < 0 {
		return badRequest("security instance %d: negative hold-off or timeout", s.Instance)
	}
	return nil
}

// check rejects values no Server instance may hold.
func (s Server) check() error {
	if s.Instance == 65535 {
		return badRequest("server instance id 65535 is reserved")
	}
	if s.ShortServerID == 0 || s.ShortServerID == 65535 {
		return badRequest("server instance %d: short server id %d is not 1..65534", s.Instance, s.ShortServerID)
	}
	if s.Lifetime < 0 || s.DefaultPmin < 0 || s.DefaultPmax < 0 || s.DisableTimeout < 0 {
		return badRequest("server instance %d: negative period", s.Instance)
	}
	if err := checkBinding(s.Binding); err != nil {
		return badRequest("server instance %d: %v", s.Instance, err)
	}
	return nil
}

// checkBinding accepts the binding letters of Core 1.1 (U, T, S, N and
// the 1.0 queue mode Q), each at most once; "" means the default.
func checkBinding(b string) error {
	for i, c := range b {
		if !strings.ContainsRune("UTSNQ", c) || strings.ContainsRune(b[:i], c) {
			return fmt.Errorf("binding %q: %q is not a binding letter or is repeated", b, c)
		}
	}
	return nil
}

// checkServerURI accepts the schemes an LwM2M server URI may use.
func checkServerURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("server URI %q: %v", raw, err)
	}
	switch u.Scheme {
	case "coap", "coaps", "coap+tcp", "coaps+tcp":
	default:
		return fmt.Errorf("server URI %q: scheme %q is not coap, coaps, coap+tcp or coaps+tcp", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("server URI %q has no host", raw)
	}
	return nil
}
