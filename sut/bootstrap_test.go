package sut

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// bootstrapProfile is a client that knows only the bootstrap server.
const bootstrapProfile = `command:
  - "{{.Harness}}"
  - client
  - "--endpoint={{.Endpoint}}"
  - "--server={{.BootstrapURI}}"
  - --bootstrap
`

func recordsOf(t *testing.T, writes []servers.BootstrapWrite, path string) map[string]lwm2m.Value {
	t.Helper()
	for _, w := range writes {
		if w.Path.String() == path {
			out := map[string]lwm2m.Value{}
			for _, r := range w.Records {
				out[r.Path.String()] = r.Value
			}
			return out
		}
	}
	t.Fatalf("no Bootstrap-Write of %s", path)
	return nil
}

func TestBootstrapWritesCarryEveryResource(t *testing.T) {
	tg := certTarget(t)
	tg.ServerURI, tg.SNI, tg.CipherSuites, tg.Lifetime = "coaps://localhost:5684", "lwm2m.example.test", []uint16{0xC0AE, 0xC02B}, 7*time.Second
	writes, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(writes) != 3 {
		t.Fatalf("%d writes, want /0/0, /0/1, /1/0", len(writes))
	}
	bs := recordsOf(t, writes, "/0/0")
	if u, _ := bs["/0/0/0"].AsString(); u != "coap://127.0.0.1:5783" {
		t.Errorf("bootstrap URI %q", u)
	}
	if b, _ := bs["/0/0/1"].AsBool(); !b {
		t.Error("/0/0 is not marked as the bootstrap account")
	}
	if m, _ := bs["/0/0/2"].AsInt(); m != 3 {
		t.Errorf("/0/0 mode %d, want NoSec", m)
	}
	srv := recordsOf(t, writes, "/0/1")
	want := map[string]lwm2m.Value{
		"/0/1/0":    lwm2m.String("coaps://localhost:5684"),
		"/0/1/1":    lwm2m.Bool(false),
		"/0/1/2":    lwm2m.Int(2),
		"/0/1/3":    lwm2m.Opaque(tg.ClientCertDER),
		"/0/1/4":    lwm2m.Opaque(tg.ServerPublicKey),
		"/0/1/5":    lwm2m.Opaque(tg.ClientKeyPKCS8),
		"/0/1/10":   lwm2m.Int(101),
		"/0/1/14":   lwm2m.String("lwm2m.example.test"),
		"/0/1/15":   lwm2m.Uint(3),
		"/0/1/16/0": lwm2m.Uint(0xC0AE),
		"/0/1/16/1": lwm2m.Uint(0xC02B),
	}
	for p, v := range want {
		if !srv[p].Equal(v) {
			t.Errorf("%s = %v, want %v", p, srv[p], v)
		}
	}
	if len(srv) != len(want) {
		t.Errorf("/0/1 has %d records, want %d: %v", len(srv), len(want), srv)
	}
	server := recordsOf(t, writes, "/1/0")
	if l, _ := server["/1/0/1"].AsInt(); l != 7 {
		t.Errorf("lifetime %d, want 7", l)
	}
	if b, _ := server["/1/0/7"].AsString(); b != "U" {
		t.Errorf("binding %q", b)
	}
	// Every write must encode in the server's default format.
	for _, w := range writes {
		if _, err := lwm2m.Encode(message.AppLwm2mTLV, w.Path, w.Records); err != nil {
			t.Errorf("TLV of %s: %v", w.Path, err)
		}
	}
}

// A Security instance too large for one CoAP message is written empty,
// then resource by resource, so that no Block1 transfer is needed.
func TestBootstrapWritesSplitLargeInstances(t *testing.T) {
	tg := certTarget(t)
	tg.ServerURI = "coaps://localhost:5684"
	tg.ServerPublicKey = append(tg.ServerPublicKey, make([]byte, 700)...) // any bytes: /0/x/4 is opaque
	writes, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, w := range writes {
		paths = append(paths, w.Path.String())
		payload, err := lwm2m.Encode(bootstrapFormat, w.Path, w.Records)
		if err != nil {
			t.Fatal(err)
		}
		if len(payload) > maxSingleWrite {
			t.Errorf("write %s is %d bytes, over %d", w.Path, len(payload), maxSingleWrite)
		}
	}
	want := []string{"/0/0", "/0/1", "/0/1/3", "/0/1/4", "/0/1/5", "/1/0"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("writes %v, want %v", paths, want)
	}
	inst := recordsOf(t, writes, "/0/1")
	if k, _ := inst["/0/1/4"].AsOpaque(); len(k) != 0 {
		t.Errorf("instance write carries /0/1/4 (%d bytes); it must be written on its own", len(k))
	}
	if u, _ := inst["/0/1/15"].AsUint(); u != 3 {
		t.Errorf("instance write lost /0/1/15: %v", inst)
	}
	if k, _ := recordsOf(t, writes, "/0/1/4")["/0/1/4"].AsOpaque(); string(k) != string(tg.ServerPublicKey) {
		t.Error("/0/1/4 written with other bytes")
	}
}

func TestBootstrapWritesLeaveUnsetResourcesOut(t *testing.T) {
	tg := Target{Endpoint: "ep", ServerURI: "coaps://127.0.0.1:5684", Mode: "psk", Usage: -1,
		PSKIdentity: "dev-1", PSKKey: []byte{1, 2, 3}}
	writes, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := recordsOf(t, writes, "/0/1")
	for _, p := range []string{"/0/1/14", "/0/1/15", "/0/1/16/0"} {
		if _, ok := srv[p]; ok {
			t.Errorf("%s written although the case leaves it unset", p)
		}
	}
	if id, _ := srv["/0/1/3"].AsOpaque(); string(id) != "dev-1" {
		t.Errorf("PSK identity %q", id)
	}
	if m, _ := srv["/0/1/2"].AsInt(); m != 0 {
		t.Errorf("mode %d, want PSK", m)
	}
	if l, _ := recordsOf(t, writes, "/1/0")["/1/0/1"].AsInt(); l != 300 {
		t.Errorf("default lifetime %d, want 300", l)
	}
	for _, bad := range []Target{{Mode: "oscore", Usage: -1}, {Mode: "cert", Usage: 4}} {
		if _, err := bootstrapWrites(bad, "coap://x", BootstrapOptions{}); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestBootstrapURIOnlyThroughTheBootstrapAdapter(t *testing.T) {
	p := mustLoad(t, bootstrapProfile)
	if !UsesBootstrap(p) {
		t.Error("UsesBootstrap = false for a profile naming {{.BootstrapURI}}")
	}
	if UsesBootstrap(mustLoad(t, "command: [client, \"--server={{.ServerURI}}\"]\n")) {
		t.Error("UsesBootstrap = true for a plain profile")
	}
	// Run as a plain exec profile it must refuse to start, not start a
	// client that has no bootstrap server.
	_, err := NewExec(p).Start(context.Background(), Target{Endpoint: "ep", ServerURI: "coap://127.0.0.1:1", Mode: "nosec", Usage: -1, Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "bootstrap adapter") {
		t.Errorf("plain exec Start = %v", err)
	}
}

func TestBootstrapSkipsTrustStoreCases(t *testing.T) {
	tg := certTarget(t) // has a trust store
	a := NewBootstrap(mustLoad(t, bootstrapProfile))
	why := a.(*Bootstrap).SkipReason(tg)
	if !strings.Contains(why, "trust store") {
		t.Fatalf("SkipReason = %q", why)
	}
	_, err := a.Start(context.Background(), tg)
	if reason, ok := IsSkip(err); !ok || reason != why {
		t.Errorf("Start = %v, want the skip %q", err, why)
	}
	var se *SkipError
	if !errors.As(err, &se) {
		t.Errorf("Start error %T is not a *SkipError", err)
	}
	// A profile that passes the trust store itself runs the case.
	carrying := NewBootstrap(mustLoad(t, bootstrapProfile+"  - \"{{with .TrustStorePEM}}--truststore={{.}}{{end}}\"\n"))
	if why := carrying.(*Bootstrap).SkipReason(tg); why != "" {
		t.Errorf("profile with --truststore: SkipReason = %q", why)
	}
	tg.TrustStore = nil
	if why := a.(*Bootstrap).SkipReason(tg); why != "" {
		t.Errorf("no trust store: SkipReason = %q", why)
	}
}
