package sut

import (
	"errors"
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// modeCertEST is /0/x/2 of Security Mode 4, certificate mode with EST.
const modeCertEST = 4

// estWrites are the Bootstrap-Writes of an est Target (t.Bootstrap): the
// case's bootstrap account at o's account instance, replacing the
// harness's own NoSec account (t.ServerURI in certificate mode, with the
// case's client certificate, key and Server Public Key: EST then reaches
// the case's bootstrap server, whose endpoint serves it); the LwM2M
// server t.Mode4URI in Security Mode 4 at the other instance, with its
// Server Public Key resource empty as the est cases provision it (the
// /crts anchors are its trust) and no Public Key or Secret Key resource
// (the client makes its own key and has its certificate issued); /1/0.
// After this Bootstrap-Finish the client enrols and registers.
func estWrites(t Target, o BootstrapOptions) ([]servers.BootstrapWrite, error) {
	if t.Mode4URI == "" {
		return nil, errors.New("an est Target (Bootstrap) without the mode 4 server's URI (Mode4URI)")
	}
	mode, err := securityModeID(t.Mode)
	if err != nil {
		return nil, fmt.Errorf("the bootstrap account: %w", err)
	}
	identity, secret := t.credentials()
	accountInst, serverInst := o.instances()
	account := security(accountInst, t.ServerURI, true, mode, identity, t.ServerPublicKey, secret)
	if t.Usage >= 0 {
		if t.Usage > 3 {
			return nil, fmt.Errorf("certificate usage %d is not 0..3", t.Usage)
		}
		p := lwm2m.NewPath(lwm2m.ObjSecurity, accountInst, lwm2m.SecCertificateUsage)
		account.Records = append(account.Records, lwm2m.Record{Path: p, Value: lwm2m.Uint(uint64(t.Usage))})
	}
	sec := func(res uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjSecurity, serverInst, res) }
	mode4 := servers.BootstrapWrite{Path: lwm2m.NewPath(lwm2m.ObjSecurity, serverInst), Records: []lwm2m.Record{
		{Path: sec(lwm2m.SecServerURI), Value: lwm2m.String(t.Mode4URI)},
		{Path: sec(lwm2m.SecBootstrapServer), Value: lwm2m.Bool(false)},
		{Path: sec(lwm2m.SecSecurityMode), Value: lwm2m.Int(modeCertEST)},
		{Path: sec(lwm2m.SecServerPublicKey), Value: lwm2m.Opaque(nil)},
		{Path: sec(lwm2m.SecShortServerID), Value: lwm2m.Int(bootstrapSSID)},
	}}
	split, err := splitLargeWrite(account)
	if err != nil {
		return nil, err
	}
	return append(split, mode4, serverObject(t)), nil
}
