package model

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestBootstrapWriteCreatesAndUpdates(t *testing.T) {
	m := New("ep", "1.1")
	mustOK(t, m.BootstrapWrite(path(t, "/0"), []lwm2m.Record{
		rec(t, "/0/1/0", lwm2m.String("coaps://dm:5684")), rec(t, "/0/1/1", lwm2m.Bool(false)),
		rec(t, "/0/1/2", lwm2m.Int(0)), rec(t, "/0/1/3", lwm2m.Opaque([]byte("id"))),
		rec(t, "/0/1/4", lwm2m.Opaque(nil)), rec(t, "/0/1/5", lwm2m.Opaque([]byte{9})),
		rec(t, "/0/1/10", lwm2m.Int(101)),
		rec(t, "/0/1/16/0", lwm2m.Uint(0xC0A8)), rec(t, "/0/1/16/1", lwm2m.Uint(0xC02B)),
	}))
	// SSID is read-only for servers, writable in bootstrap.
	mustOK(t, m.BootstrapWrite(path(t, "/1/0"), serverRecords(t, "0", 101)))
	mustOK(t, m.CheckServerAccounts())

	// An update keeps unlisted resources and replaces a multiple resource.
	mustOK(t, m.BootstrapWrite(path(t, "/0/1"), []lwm2m.Record{
		rec(t, "/0/1/14", lwm2m.String("dm")), rec(t, "/0/1/16/0", lwm2m.Uint(0xC02B)),
	}))
	s := m.Security()[0]
	if s.URI != "coaps://dm:5684" || s.SNI != "dm" || len(s.CipherSuites) != 1 || s.CipherSuites[0] != 0xC02B {
		t.Fatalf("after update: %+v", s)
	}
	wantErr(t, m.BootstrapWrite(path(t, "/3/1"), []lwm2m.Record{rec(t, "/3/1/14", lwm2m.String("x"))}), ErrBadRequest)
	wantErr(t, m.BootstrapWrite(path(t, "/1/0/8"), []lwm2m.Record{rec(t, "/1/0/8", lwm2m.Value{})}), ErrMethodNotAllowed)
	wantErr(t, m.BootstrapWrite(path(t, "/"), nil), ErrMethodNotAllowed)
}

func TestBootstrapRead(t *testing.T) {
	m := withServer(t)
	recs, err := m.BootstrapRead(path(t, "/1"))
	mustOK(t, err)
	if len(recs) != 5 {
		t.Fatalf("bootstrap read /1: %v", recs)
	}
	for _, p := range []string{"/0", "/0/1", "/3", "/1/0/1", "/"} {
		_, err := m.BootstrapRead(path(t, p))
		wantErr(t, err, ErrMethodNotAllowed)
	}
}

func TestBootstrapDelete(t *testing.T) {
	m := withServer(t)
	wantErr(t, m.BootstrapDelete(path(t, "/0/0")), ErrBadRequest) // the bootstrap account
	wantErr(t, m.BootstrapDelete(path(t, "/3/0")), ErrBadRequest)
	wantErr(t, m.BootstrapDelete(path(t, "/1/0/1")), ErrBadRequest)
	mustOK(t, m.BootstrapDelete(path(t, "/1/5"))) // absent: nothing to do
	mustOK(t, m.BootstrapDelete(path(t, "/")))
	if got := m.Instances(0); len(got) != 1 || got[0] != 0 {
		t.Fatalf("security instances after delete /: %v", got)
	}
	if len(m.Instances(1)) != 0 || len(m.Instances(3)) != 1 {
		t.Fatalf("server %v device %v", m.Instances(1), m.Instances(3))
	}
}
