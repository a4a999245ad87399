package sut

import (
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// An est Target: the case's bootstrap account replaces the harness's NoSec
// one at /0/0, in certificate mode with the case's credentials; /0/1 is
// the LwM2M server in Security Mode 4 with an empty Server Public Key and
// neither Public Key nor Secret Key; /1/0 its Server instance.
func TestBootstrapWritesModeFourAccount(t *testing.T) {
	tg := certTarget(t)
	tg.Bootstrap, tg.ServerURI, tg.Mode4URI, tg.Usage = true, "coaps://localhost:5784", "coaps://localhost:5684", -1
	writes, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	account := map[string]lwm2m.Value{}
	// Written whole, or split: the instance with empty keys, then each key.
	for _, w := range writes {
		if p := w.Path.String(); p == "/0/0" || strings.HasPrefix(p, "/0/0/") {
			for _, r := range w.Records {
				account[r.Path.String()] = r.Value
			}
		}
	}
	for p, v := range map[string]lwm2m.Value{
		"/0/0/0": lwm2m.String("coaps://localhost:5784"), "/0/0/1": lwm2m.Bool(true), "/0/0/2": lwm2m.Int(2),
		"/0/0/3": lwm2m.Opaque(tg.ClientCertDER), "/0/0/4": lwm2m.Opaque(tg.ServerPublicKey), "/0/0/5": lwm2m.Opaque(tg.ClientKeyPKCS8),
	} {
		if !account[p].Equal(v) {
			t.Errorf("%s = %v, want %v", p, account[p], v)
		}
	}
	mode4 := recordsOf(t, writes, "/0/1")
	want := map[string]lwm2m.Value{
		"/0/1/0": lwm2m.String("coaps://localhost:5684"), "/0/1/1": lwm2m.Bool(false), "/0/1/2": lwm2m.Int(4),
		"/0/1/4": lwm2m.Opaque(nil), "/0/1/10": lwm2m.Int(101),
	}
	for p, v := range want {
		if !mode4[p].Equal(v) {
			t.Errorf("%s = %v, want %v", p, mode4[p], v)
		}
	}
	if len(mode4) != len(want) {
		t.Errorf("/0/1 has %d records, want %d (no /0/1/3, /0/1/5): %v", len(mode4), len(want), mode4)
	}
	if s, _ := recordsOf(t, writes, "/1/0")["/1/0/0"].AsInt(); s != 101 {
		t.Errorf("/1/0 short server id %d", s)
	}
	tg.Mode4URI = ""
	if _, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{}); err == nil {
		t.Error("an est Target without Mode4URI was written")
	}
}
