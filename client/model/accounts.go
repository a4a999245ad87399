package model

import (
	"errors"
	"fmt"
)

// ErrUnusableConfig wraps every reason CheckServerAccounts gives.
var ErrUnusableConfig = errors.New("unusable configuration")

// CheckServerAccounts says whether the configuration lets the client
// register: there is at least one LwM2M server account (a non-bootstrap
// Security instance and a Server instance with the same Short Server ID),
// every non-bootstrap Security instance is complete for its mode, and
// every Server instance has its Security instance. It is what the client
// checks at Bootstrap-Finish (Core 1.1 §6.1.7.6: an unusable
// configuration is answered 4.06 Not Acceptable).
func (m *Model) CheckServerAccounts() error {
	secs := m.Security()
	servers := m.Servers()
	bySSID := map[uint16]Security{}
	for _, s := range secs {
		if s.Bootstrap {
			continue
		}
		if err := s.checkAccount(); err != nil {
			return fmt.Errorf("%w: %v", ErrUnusableConfig, err)
		}
		if prev, dup := bySSID[s.ShortServerID]; dup {
			return fmt.Errorf("%w: security instances %d and %d share short server id %d",
				ErrUnusableConfig, prev.Instance, s.Instance, s.ShortServerID)
		}
		bySSID[s.ShortServerID] = s
	}
	if len(servers) == 0 {
		return fmt.Errorf("%w: no Server object instance", ErrUnusableConfig)
	}
	for _, srv := range servers {
		if _, ok := bySSID[srv.ShortServerID]; !ok {
			return fmt.Errorf("%w: server instance %d (ssid %d) has no Security instance",
				ErrUnusableConfig, srv.Instance, srv.ShortServerID)
		}
		if err := checkBinding(srv.Binding); err != nil {
			return fmt.Errorf("%w: server instance %d: %v", ErrUnusableConfig, srv.Instance, err)
		}
	}
	return nil
}

// checkAccount checks one LwM2M server Security instance.
func (s Security) checkAccount() error {
	if err := checkServerURI(s.URI); err != nil {
		return fmt.Errorf("security instance %d: %v", s.Instance, err)
	}
	if s.ShortServerID == 0 || s.ShortServerID == 65535 {
		return fmt.Errorf("security instance %d: short server id %d is not 1..65534", s.Instance, s.ShortServerID)
	}
	switch s.Mode {
	case ModeNoSec:
	case ModePSK:
		if len(s.PublicKeyOrIdentity) == 0 || len(s.SecretKey) == 0 {
			return fmt.Errorf("security instance %d: PSK mode needs an identity and a key", s.Instance)
		}
	case ModeRPK, ModeCertificate:
		if len(s.PublicKeyOrIdentity) == 0 || len(s.SecretKey) == 0 {
			return fmt.Errorf("security instance %d: mode %d needs a client key and a secret key", s.Instance, s.Mode)
		}
	case ModeCertEST:
		// The client enrolls its certificate; nothing needs to be present.
	default:
		return fmt.Errorf("security instance %d: security mode %d is not 0..4", s.Instance, s.Mode)
	}
	if s.CertUsage != nil && (*s.CertUsage < 0 || *s.CertUsage > 3) {
		return fmt.Errorf("security instance %d: certificate usage %d is not 0..3", s.Instance, *s.CertUsage)
	}
	return nil
}
