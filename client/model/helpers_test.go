package model

import (
	"errors"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func path(t *testing.T, s string) lwm2m.Path {
	t.Helper()
	p, err := lwm2m.ParsePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func rec(t *testing.T, s string, v lwm2m.Value) lwm2m.Record {
	return lwm2m.Record{Path: path(t, s), Value: v}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readOne reads a single-valued path.
func readOne(t *testing.T, m *Model, s string) lwm2m.Value {
	t.Helper()
	recs, err := m.ReadAll(path(t, s))
	if err != nil {
		t.Fatalf("read %s: %v", s, err)
	}
	if len(recs) != 1 {
		t.Fatalf("read %s: %d records, want 1: %v", s, len(recs), recs)
	}
	return recs[0].Value
}

// withServer returns a model holding a complete LwM2M server account
// (Security 1 + Server 0, ssid 101) and a bootstrap account (Security 0).
func withServer(t *testing.T) *Model {
	t.Helper()
	m := New("ep1", "1.1")
	mustOK(t, m.PutSecurity(Security{Instance: 0, URI: "coaps://bs.example:5684", Bootstrap: true, Mode: ModePSK,
		PublicKeyOrIdentity: []byte("bs-id"), SecretKey: []byte{1, 2, 3}}))
	mustOK(t, m.PutSecurity(Security{Instance: 1, URI: "coaps://dm.example:5684", Mode: ModePSK, ShortServerID: 101,
		PublicKeyOrIdentity: []byte("ep1"), SecretKey: []byte{4, 5, 6}}))
	mustOK(t, m.PutServer(Server{Instance: 0, ShortServerID: 101, Lifetime: 300e9, DefaultPmin: 10e9, Binding: "U"}))
	return m
}
