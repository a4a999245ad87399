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
	if err := withAccountSecurity(&sec, t); err != nil {
		return nil, fmt.Errorf("bootstrap account: %w", err)
	}
	if err := m.PutSecurity(sec); err != nil {
		return nil, fmt.Errorf("provisioning the bootstrap account /0/0: %w", err)
	}
	return m, nil
}
