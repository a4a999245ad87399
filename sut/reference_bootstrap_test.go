package sut

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// A bootstrap Target gives the reference client its bootstrap account
// only, in the Target's mode: the servers come from the bootstrap server.
func TestReferenceBootstrapModel(t *testing.T) {
	tg := certTarget(t)
	tg.Bootstrap, tg.Usage = true, 3
	m, err := referenceModel(tg)
	if err != nil {
		t.Fatal(err)
	}
	secs := m.Security()
	if len(secs) != 1 || !secs[0].Bootstrap || secs[0].Mode != model.ModeCertificate || secs[0].URI != tg.ServerURI ||
		string(secs[0].PublicKeyOrIdentity) != string(tg.ClientCertDER) || secs[0].ShortServerID != 0 || *secs[0].CertUsage != 3 {
		t.Fatalf("security %+v", secs)
	}
	if len(m.Servers()) != 0 {
		t.Fatalf("servers %+v, want none before bootstrap", m.Servers())
	}
	if _, ok := NewReference(ReferenceOptions{}).(BootstrapTarget); !ok {
		t.Fatal("the reference adapter does not take bootstrap targets")
	}
	tg.Mode = "rpk"
	if _, err := referenceModel(tg); err == nil {
		t.Fatal("mode rpk accepted")
	}
}
