package sut

import (
	"os"
	"strings"
	"testing"
)

// The shipped reference profiles against a bare DTLS peer, through the real
// binary: the flags they render must be the client's flags, and the
// insecure one must accept what the other rejects. Needs the binary:
//
//	go build -o /tmp/lwm2m-conform ./cmd/lwm2m-conform
//	LWM2M_CONFORM_BIN=/tmp/lwm2m-conform go test ./sut/ -run Shipped
func TestShippedReferenceProfilesHandshake(t *testing.T) {
	bin := os.Getenv(HarnessEnv)
	if bin == "" {
		t.Skipf("set %s to a built lwm2m-conform to run the shipped profiles", HarnessEnv)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v", HarnessEnv, err)
	}
	load := func(name string) Adapter {
		a, err := Load("../fixtures/sut/"+name+".yaml", ReferenceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	exec, insecure := load("reference-exec"), load("reference-insecure")

	peer, serverCert := certPeer(t)
	tg := certTarget(t)
	tg.ServerURI, tg.ServerPublicKey = "coaps://"+peer.addr, serverCert.Raw
	inst := startReference(t, exec, tg)
	if err := peer.next(t); err != nil {
		t.Errorf("reference-exec, matching Server Public Key: %v\n%s\n%s", err, inst.Command(), inst.Output())
	}
	t.Logf("command: %s", inst.Command())
	inst.Stop()

	peer, _ = certPeer(t)
	tg = certTarget(t) // an unrelated Server Public Key
	tg.ServerURI = "coaps://" + peer.addr
	inst = startReference(t, exec, tg)
	if err := peer.next(t); err == nil || !strings.Contains(err.Error(), "BadCertificate") {
		t.Errorf("reference-exec, wrong Server Public Key: peer saw %v\n%s", err, inst.Output())
	}
	inst.Stop()

	peer, _ = certPeer(t)
	tg.ServerURI = "coaps://" + peer.addr
	inst = startReference(t, insecure, tg)
	if err := peer.next(t); err != nil {
		t.Errorf("reference-insecure, wrong Server Public Key: %v\n%s", err, inst.Output())
	}
}
