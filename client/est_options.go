package client

import (
	"github.com/lwm2m-conform/lwm2m-conform/client/est"
)

// ESTOptions configure Security Mode 4 (certificate mode with EST).
type ESTOptions struct {
	// Policy says when to re-enrol (/sren); the zero value is seed 002
	// §10.3.3.1's default, est.DefaultPolicy: 30 days before expiry or
	// after 90 % of the validity, whichever is later.
	Policy est.Policy
	// Discovery asks for the EST resources first
	// (GET /.well-known/core?rt=ace.est*, RFC 9148 §4.1) instead of using
	// /.well-known/est directly.
	Discovery bool
	// StateFile persists the EST state (key, certificate, anchors; mode
	// 0600). Default: Options.StateFile + ".est" when that is set, else
	// memory only.
	StateFile string
}

func (o ESTOptions) policy() est.Policy {
	if o.Policy == (est.Policy{}) {
		return est.DefaultPolicy
	}
	return o.Policy
}

func (o ESTOptions) stateFile(clientState string) string {
	switch {
	case o.StateFile != "":
		return o.StateFile
	case clientState != "":
		return clientState + ".est"
	}
	return ""
}
