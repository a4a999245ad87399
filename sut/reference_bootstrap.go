package sut

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// BootstrapTarget is implemented by adapters that can start their SUT
// knowing only a bootstrap account in any security mode (Target.Bootstrap),
// as the est cases need: the bootstrap server there speaks DTLS with
// certificates and serves EST-coaps on its endpoint.
type BootstrapTarget interface {
	BootstrapTargets() bool
}

// BootstrapTargets: the reference client takes a bootstrap account from
// the Target as it takes a server account.
func (r *Reference) BootstrapTargets() bool { return true }

// referenceBootstrapModel provisions only the bootstrap account (/0/0,
// /0/0/1 true): the client bootstraps from t.ServerURI at start.
func referenceBootstrapModel(t Target) (*model.Model, error) {
	m := model.New(t.Endpoint, t.LwM2M)
	sec := model.Security{URI: t.ServerURI, Bootstrap: true, ServerPublicKey: t.ServerPublicKey, SNI: t.SNI, CipherSuites: t.CipherSuites}
	switch t.Mode {
	case "psk":
		sec.Mode = model.ModePSK
		sec.PublicKeyOrIdentity, sec.SecretKey = []byte(t.PSKIdentity), t.PSKKey
	case "cert":
		sec.Mode = model.ModeCertificate
		sec.PublicKeyOrIdentity, sec.SecretKey = t.ClientCertDER, t.ClientKeyPKCS8
	case "nosec":
		sec.Mode = model.ModeNoSec
	default:
		return nil, fmt.Errorf("bootstrap account security mode %q: want cert, psk or nosec", t.Mode)
	}
	if t.Usage >= 0 {
		u := t.Usage
		sec.CertUsage = &u
	}
	if err := m.PutSecurity(sec); err != nil {
		return nil, fmt.Errorf("provisioning the bootstrap account /0/0: %w", err)
	}
	return m, nil
}
