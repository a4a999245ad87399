package model

import (
	"reflect"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func fullSecurity() Security {
	cu := 3
	return Security{
		Instance: 2, URI: "coaps://dm.example:5684", Mode: ModeCertificate,
		PublicKeyOrIdentity: []byte{0x30, 0x82, 0x01}, ServerPublicKey: []byte{0x30, 0x82, 0x02},
		SecretKey: []byte{0x30, 0x77}, ShortServerID: 123, ClientHoldOff: 5 * time.Second,
		BootstrapTimeout: 30 * time.Second, SNI: "dm.example", CertUsage: &cu,
		CipherSuites: []uint16{0xC0A8, 0xC02B},
	}
}

func TestTypedViewsRoundTrip(t *testing.T) {
	m := New("ep", "1.1")
	sec := fullSecurity()
	mustOK(t, m.PutSecurity(sec))
	srv := Server{Instance: 4, ShortServerID: 123, Lifetime: time.Hour, DefaultPmin: time.Second,
		DefaultPmax: time.Minute, DisableTimeout: 2 * time.Minute, NotificationStoring: true, Binding: "UQ"}
	mustOK(t, m.PutServer(srv))
	if got := m.Security(); len(got) != 1 || !reflect.DeepEqual(got[0], sec) {
		t.Fatalf("security view\n got %+v\nwant %+v", got, sec)
	}
	if got := m.Servers(); len(got) != 1 || !reflect.DeepEqual(got[0], srv) {
		t.Fatalf("server view\n got %+v\nwant %+v", got, srv)
	}
	// The typed view and the generic tree agree.
	if v := readOne(t, m, "/0/2/15"); v.Kind != lwm2m.KindUnsignedInteger || v.String() != "3" {
		t.Fatalf("/0/2/15 = %v (%v)", v, v.Kind)
	}
	if v := readOne(t, m, "/0/2/16/1"); v.String() != "49195" {
		t.Fatalf("/0/2/16/1 = %v", v)
	}
	// Unset optional fields stay absent.
	mustOK(t, m.PutSecurity(Security{Instance: 2, URI: "coap://x", Mode: ModeNoSec, ShortServerID: 123}))
	s := m.Security()[0]
	if s.CertUsage != nil || s.CipherSuites != nil || s.SNI != "" {
		t.Fatalf("optional fields survived a put: %+v", s)
	}
	if _, err := m.ReadAll(path(t, "/0/2/14")); err == nil {
		t.Fatal("SNI resource present after a put without SNI")
	}
	if got, ok := m.ServerBySSID(123); !ok || got.Instance != 4 {
		t.Fatalf("server by ssid: %+v %v", got, ok)
	}
}

func TestPutRejectsBadValues(t *testing.T) {
	m := New("ep", "1.1")
	bad := -1
	for _, s := range []Security{
		{URI: "", Mode: ModeNoSec},
		{URI: "coap://x", Mode: 7},
		{URI: "coap://x", Mode: ModeNoSec, ShortServerID: 65535},
		{URI: "coap://x", Mode: ModeNoSec, CertUsage: &bad},
	} {
		wantErr(t, m.PutSecurity(s), ErrBadRequest)
	}
	for _, s := range []Server{
		{ShortServerID: 0},
		{ShortServerID: 1, Binding: "X"},
		{ShortServerID: 1, Binding: "UU"},
		{ShortServerID: 1, Lifetime: -time.Second},
	} {
		wantErr(t, m.PutServer(s), ErrBadRequest)
	}
	if len(m.Security())+len(m.Servers()) != 0 {
		t.Fatal("a rejected put stored an instance")
	}
}

func TestCheckServerAccounts(t *testing.T) {
	m := New("ep", "1.1")
	mustOK(t, m.PutSecurity(Security{Instance: 0, URI: "coaps://bs", Bootstrap: true, Mode: ModePSK}))
	wantErr(t, m.CheckServerAccounts(), ErrUnusableConfig) // bootstrap account only
	mustOK(t, m.PutServer(Server{Instance: 0, ShortServerID: 9}))
	wantErr(t, m.CheckServerAccounts(), ErrUnusableConfig) // server without security
	mustOK(t, m.PutSecurity(Security{Instance: 1, URI: "coaps://dm:5684", Mode: ModePSK, ShortServerID: 9}))
	wantErr(t, m.CheckServerAccounts(), ErrUnusableConfig) // PSK without identity and key
	mustOK(t, m.PutSecurity(Security{Instance: 1, URI: "coaps://dm:5684", Mode: ModePSK, ShortServerID: 9,
		PublicKeyOrIdentity: []byte("ep"), SecretKey: []byte{1}}))
	mustOK(t, m.CheckServerAccounts())
	mustOK(t, m.PutSecurity(Security{Instance: 1, URI: "http://dm", Mode: ModeNoSec, ShortServerID: 9}))
	wantErr(t, m.CheckServerAccounts(), ErrUnusableConfig) // scheme
}
