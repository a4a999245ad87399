package sut

import (
	"fmt"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// The account the bootstrap server writes, the same as the reference
// adapter's factory provisioning.
const (
	bootstrapSSID     = referenceSSID
	bootstrapLifetime = referenceLifetime
	// The case's Server instance: Bootstrap-Delete of "/" left none.
	serverServerInst = 0
	// maxInstance is the largest instance id; 65535 is reserved (MAX_ID).
	maxInstance = 65534
)

// BootstrapOptions are a bootstrap profile's `bootstrap:` key.
type BootstrapOptions struct {
	// AccountInstance is the Security instance (/0/N) where the client
	// keeps its own bootstrap account. The LwM2M TS lets a client keep
	// that account through Bootstrap-Delete of "/", so the harness writes
	// it there and puts the case's server in another instance: a client
	// keeping it at /0/1 refuses /0/1 as the case's server.
	AccountInstance int
}

// instances are the Security instances of the bootstrap account and of
// the case's server: the lowest instance the account does not hold.
func (o BootstrapOptions) instances() (account, server uint16) {
	account = uint16(o.AccountInstance)
	if account == 0 {
		return 0, 1
	}
	return account, 0
}

func bootstrapOptions(n yamlpos.Node, o *BootstrapOptions) error {
	return n.Walk([]string{"account_instance"}, func(_ string, v yamlpos.Node) (err error) {
		o.AccountInstance, err = v.Int(0, maxInstance)
		return err
	})
}

// bootstrapWrites are the Bootstrap-Writes that give the client the case's
// account: the bootstrap account (NoSec, bsURI) at o's instance, /0/0 by
// default; the LwM2M server with every Security resource the case sets at
// the lowest other instance (/0/1 by default); /1/0 its Server instance.
// Unset optional resources (/0/x/14, /0/x/15, /0/x/16) are left out, so
// that the client's own default applies.
func bootstrapWrites(t Target, bsURI string, o BootstrapOptions) ([]servers.BootstrapWrite, error) {
	if t.Bootstrap {
		return estWrites(t, o) // bootstrap_mode4.go
	}
	mode, err := securityModeID(t.Mode)
	if err != nil {
		return nil, err
	}
	identity, secret := t.credentials()
	bsSecurityInst, serverSecurityInst := o.instances()
	bs := security(bsSecurityInst, bsURI, true, 3, nil, nil, nil)
	srv := security(serverSecurityInst, t.ServerURI, false, mode, identity, t.ServerPublicKey, secret)
	sec := func(res uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjSecurity, serverSecurityInst, res) }
	srv.Records = append(srv.Records, lwm2m.Record{Path: sec(lwm2m.SecShortServerID), Value: lwm2m.Int(bootstrapSSID)})
	if t.SNI != "" {
		srv.Records = append(srv.Records, lwm2m.Record{Path: sec(lwm2m.SecSNI), Value: lwm2m.String(t.SNI)})
	}
	if t.Usage >= 0 {
		if t.Usage > 3 {
			return nil, fmt.Errorf("certificate usage %d is not 0..3", t.Usage)
		}
		srv.Records = append(srv.Records, lwm2m.Record{Path: sec(lwm2m.SecCertificateUsage), Value: lwm2m.Uint(uint64(t.Usage))})
	}
	for i, id := range t.CipherSuites {
		srv.Records = append(srv.Records, lwm2m.Record{
			Path: sec(lwm2m.SecCipherSuite).Append(uint16(i)), Value: lwm2m.Uint(uint64(id))})
	}
	split, err := splitLargeWrite(srv)
	if err != nil {
		return nil, err
	}
	writes := append([]servers.BootstrapWrite{bs}, split...)
	return append(writes, serverObject(t)), nil
}

// serverObject is the Write of the case's Server instance, /1/0.
func serverObject(t Target) servers.BootstrapWrite {
	lifetime := bootstrapLifetime
	if t.Lifetime > 0 {
		lifetime = t.Lifetime
	}
	srvObj := func(res uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjServer, serverServerInst, res) }
	return servers.BootstrapWrite{Path: lwm2m.NewPath(lwm2m.ObjServer, serverServerInst), Records: []lwm2m.Record{
		{Path: srvObj(lwm2m.SrvShortServerID), Value: lwm2m.Int(bootstrapSSID)},
		{Path: srvObj(lwm2m.SrvLifetime), Value: lwm2m.Int(int64((lifetime + time.Second - 1) / time.Second))},
		{Path: srvObj(lwm2m.SrvNotifStoring), Value: lwm2m.Bool(false)},
		{Path: srvObj(lwm2m.SrvBinding), Value: lwm2m.String("U")},
	}}
}

// bootstrapFormat is the content format of the Bootstrap-Writes.
var bootstrapFormat = message.AppLwm2mTLV

// maxSingleWrite is the largest payload the harness bootstrap server sends
// without a Block1 transfer (go-coap's default block size, SZX 1024).
const maxSingleWrite = 1024

// splitLargeWrite keeps w whole when it fits one CoAP message. Otherwise
// it writes the instance with its opaque resources empty, then each of
// them on its own: go-coap does not follow a client that asks for smaller
// blocks mid-transfer (RFC 7959 §2.3; Californium prefers 512), and Leshan
// then answers 4.08 Request Entity Incomplete. A certificate or key
// larger than maxSingleWrite still needs a Block1 transfer.
func splitLargeWrite(w servers.BootstrapWrite) ([]servers.BootstrapWrite, error) {
	payload, err := lwm2m.Encode(bootstrapFormat, w.Path, w.Records)
	if err != nil {
		return nil, fmt.Errorf("Bootstrap-Write %s: %w", w.Path, err)
	}
	if len(payload) <= maxSingleWrite {
		return []servers.BootstrapWrite{w}, nil
	}
	inst := servers.BootstrapWrite{Path: w.Path}
	var large []servers.BootstrapWrite
	for _, r := range w.Records {
		if b, ok := r.Value.AsOpaque(); ok && len(b) > 0 {
			inst.Records = append(inst.Records, lwm2m.Record{Path: r.Path, Value: lwm2m.Opaque(nil)})
			large = append(large, servers.BootstrapWrite{Path: r.Path, Records: []lwm2m.Record{r}})
			continue
		}
		inst.Records = append(inst.Records, r)
	}
	return append([]servers.BootstrapWrite{inst}, large...), nil
}

// security is the Bootstrap-Write of Security instance inst with its
// mandatory resources; empty keys are written as empty opaque values.
func security(inst uint16, uri string, bootstrap bool, mode int64, identity, serverKey, secret []byte) servers.BootstrapWrite {
	p := func(res uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjSecurity, inst, res) }
	return servers.BootstrapWrite{Path: lwm2m.NewPath(lwm2m.ObjSecurity, inst), Records: []lwm2m.Record{
		{Path: p(lwm2m.SecServerURI), Value: lwm2m.String(uri)},
		{Path: p(lwm2m.SecBootstrapServer), Value: lwm2m.Bool(bootstrap)},
		{Path: p(lwm2m.SecSecurityMode), Value: lwm2m.Int(mode)},
		{Path: p(lwm2m.SecPublicKeyOrID), Value: lwm2m.Opaque(identity)},
		{Path: p(lwm2m.SecServerPublicKey), Value: lwm2m.Opaque(serverKey)},
		{Path: p(lwm2m.SecSecretKey), Value: lwm2m.Opaque(secret)},
	}}
}

// securityModeID is /0/x/2 for a Target mode.
func securityModeID(mode string) (int64, error) {
	switch mode {
	case "psk":
		return 0, nil
	case "cert":
		return 2, nil
	case "nosec":
		return 3, nil
	}
	return 0, fmt.Errorf("security mode %q: want cert, psk or nosec", mode)
}
