package model

import (
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Security is the typed view of one Security object instance, what the
// transport needs to reach a server.
type Security struct {
	Instance            uint16
	URI                 string        // 0 LwM2M Server URI
	Bootstrap           bool          // 1 Bootstrap-Server
	Mode                int           // 2: 0 PSK, 1 RPK, 2 Certificate, 3 NoSec, 4 Certificate with EST
	PublicKeyOrIdentity []byte        // 3: PSK identity, or client certificate DER
	ServerPublicKey     []byte        // 4: server certificate DER/PEM, may be empty
	SecretKey           []byte        // 5: PSK key, or client private key DER (PKCS#8/SEC1)
	ShortServerID       uint16        // 10, 0 = unset
	ClientHoldOff       time.Duration // 11, whole seconds
	BootstrapTimeout    time.Duration // 12, whole seconds
	SNI                 string        // 14, "" = unset
	CertUsage           *int          // 15, nil = unset (the verifier then applies DANE-EE, the 1.0 and 1.1 default)
	CipherSuites        []uint16      // 16, nil = unset
}

// Security modes (/0/x/2).
const (
	ModePSK         = 0
	ModeRPK         = 1
	ModeCertificate = 2
	ModeNoSec       = 3
	ModeCertEST     = 4
)

// Server is the typed view of one Server object instance.
type Server struct {
	Instance            uint16
	ShortServerID       uint16        // 0
	Lifetime            time.Duration // 1, whole seconds
	DefaultPmin         time.Duration // 2, 0 = unset
	DefaultPmax         time.Duration // 3, 0 = unset
	DisableTimeout      time.Duration // 5, 0 = unset (the spec default is 86400 s)
	NotificationStoring bool          // 6
	Binding             string        // 7, default "U"
}

// Security returns the Security instances in instance order.
func (m *Model) Security() []Security {
	m.mu.RLock()
	defer m.mu.RUnlock()
	o := m.objects[lwm2m.ObjSecurity]
	out := make([]Security, 0, len(o))
	for _, id := range sortedKeys(o) {
		out = append(out, securityView(id, o[id]))
	}
	return out
}

// Servers returns the Server instances in instance order.
func (m *Model) Servers() []Server {
	m.mu.RLock()
	defer m.mu.RUnlock()
	o := m.objects[lwm2m.ObjServer]
	out := make([]Server, 0, len(o))
	for _, id := range sortedKeys(o) {
		out = append(out, serverView(id, o[id]))
	}
	return out
}

// ServerBySSID returns the Server instance with the given Short Server ID.
func (m *Model) ServerBySSID(ssid uint16) (Server, bool) {
	for _, s := range m.Servers() {
		if s.ShortServerID == ssid {
			return s, true
		}
	}
	return Server{}, false
}

func securityView(id uint16, in instance) Security {
	s := Security{
		Instance:            id,
		URI:                 str(in, lwm2m.SecServerURI),
		Bootstrap:           boolean(in, lwm2m.SecBootstrapServer),
		Mode:                int(integer(in, lwm2m.SecSecurityMode)),
		PublicKeyOrIdentity: opaque(in, lwm2m.SecPublicKeyOrID),
		ServerPublicKey:     opaque(in, lwm2m.SecServerPublicKey),
		SecretKey:           opaque(in, lwm2m.SecSecretKey),
		ShortServerID:       uint16(integer(in, lwm2m.SecShortServerID)),
		ClientHoldOff:       seconds(in, lwm2m.SecClientHoldOff),
		BootstrapTimeout:    seconds(in, secBootstrapTimeout),
		SNI:                 str(in, lwm2m.SecSNI),
	}
	if r, ok := in[lwm2m.SecCertificateUsage]; ok {
		if u, ok := r.value.AsInt(); ok {
			cu := int(u)
			s.CertUsage = &cu
		}
	}
	if r, ok := in[lwm2m.SecCipherSuite]; ok && r.multi {
		s.CipherSuites = []uint16{}
		for _, ri := range sortedKeys(r.inst) {
			if u, ok := r.inst[ri].AsUint(); ok && u <= 0xFFFF {
				s.CipherSuites = append(s.CipherSuites, uint16(u))
			}
		}
	}
	return s
}

func serverView(id uint16, in instance) Server {
	s := Server{
		Instance:            id,
		ShortServerID:       uint16(integer(in, lwm2m.SrvShortServerID)),
		Lifetime:            seconds(in, lwm2m.SrvLifetime),
		DefaultPmin:         seconds(in, lwm2m.SrvDefaultPmin),
		DefaultPmax:         seconds(in, lwm2m.SrvDefaultPmax),
		DisableTimeout:      seconds(in, lwm2m.SrvDisableTimeout),
		NotificationStoring: boolean(in, lwm2m.SrvNotifStoring),
		Binding:             str(in, lwm2m.SrvBinding),
	}
	if s.Binding == "" {
		s.Binding = "U"
	}
	return s
}

// Accessors for the typed views: an unset or mistyped resource reads as
// the zero value.

func str(in instance, res uint16) string {
	if r, ok := in[res]; ok {
		s, _ := r.value.AsString()
		return s
	}
	return ""
}

func boolean(in instance, res uint16) bool {
	if r, ok := in[res]; ok {
		b, _ := r.value.AsBool()
		return b
	}
	return false
}

func integer(in instance, res uint16) int64 {
	if r, ok := in[res]; ok {
		i, _ := r.value.AsInt()
		return i
	}
	return 0
}

func opaque(in instance, res uint16) []byte {
	if r, ok := in[res]; ok {
		b, _ := r.value.AsOpaque()
		return append([]byte(nil), b...)
	}
	return nil
}

func seconds(in instance, res uint16) time.Duration {
	return time.Duration(integer(in, res)) * time.Second
}
