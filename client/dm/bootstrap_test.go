package dm

import (
	"errors"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// securityRecords is a non-bootstrap Security instance in PSK mode.
func securityRecords(t *testing.T, inst string, uri string, ssid int64) []lwm2m.Record {
	p := "/0/" + inst + "/"
	return []lwm2m.Record{
		rec(t, p+"0", lwm2m.String(uri)), rec(t, p+"1", lwm2m.Bool(false)), rec(t, p+"2", lwm2m.Int(0)),
		rec(t, p+"3", lwm2m.Opaque([]byte("ep1"))), rec(t, p+"4", lwm2m.Opaque(nil)),
		rec(t, p+"5", lwm2m.Opaque([]byte{0xAA, 0xBB})), rec(t, p+"10", lwm2m.Int(ssid)),
		rec(t, p+"16/0", lwm2m.Uint(0xC0A8)),
	}
}

func TestBootstrapSequence(t *testing.T) {
	e := newEnv(t, "1.1")
	e.h.SetBootstrapMode(true)

	// Delete "/" keeps only the bootstrap account (and the Device).
	wantCode(t, "delete /", e.del("/"), codes.Deleted)
	if got := e.m.Instances(0); len(got) != 1 || got[0] != 0 {
		t.Fatalf("security after delete /: %v", got)
	}
	if len(e.m.Instances(1)) != 0 {
		t.Fatal("server instances survived delete /")
	}
	wantCode(t, "delete bootstrap account", e.del("/0/0"), codes.BadRequest)

	// Finish without a server account is refused and bootstrap goes on.
	wantCode(t, "finish unusable", e.post("/bs", message.TextPlain, nil), codes.NotAcceptable)
	if !e.h.BootstrapMode() {
		t.Fatal("a refused finish left bootstrap mode")
	}

	// Write the Security instance (object level, TLV) and the Server
	// instance (instance level, SenML CBOR).
	sec := securityRecords(t, "1", "coaps://dm.example:5684", 101)
	wantCode(t, "write /0", e.put("/0", message.AppLwm2mTLV, encodeRecs(t, message.AppLwm2mTLV, "/0", sec...)), codes.Changed)
	srv := []lwm2m.Record{
		rec(t, "/1/0/0", lwm2m.Int(101)), rec(t, "/1/0/1", lwm2m.Int(86400)),
		rec(t, "/1/0/6", lwm2m.Bool(true)), rec(t, "/1/0/7", lwm2m.String("U")),
	}
	wantCode(t, "write /1/0", e.put("/1/0", message.AppSenmlCbor, encodeRecs(t, message.AppSenmlCbor, "/1/0", srv...)), codes.Changed)
	if s := e.m.Security()[1]; s.URI != "coaps://dm.example:5684" || s.ShortServerID != 101 || len(s.CipherSuites) != 1 {
		t.Fatalf("written security %+v", s)
	}

	// Bootstrap-Discover.
	r := e.get("/", accept(message.AppLinkFormat))
	wantCode(t, "discover /", r, codes.Content)
	want := `lwm2m="1.1",</0>;ver=1.1,</0/0>;uri="coaps://bs.example:5684",</0/1>;ssid=101;uri="coaps://dm.example:5684",` +
		`</1>;ver=1.1,</1/0>;ssid=101,</3>;ver=1.1,</3/0>`
	if string(r.body) != want {
		t.Fatalf("bootstrap-discover\n got %s\nwant %s", r.body, want)
	}
	r = e.get("/1", accept(message.AppLinkFormat))
	if string(r.body) != `lwm2m="1.1",</1>;ver=1.1,</1/0>;ssid=101` {
		t.Fatalf("bootstrap-discover /1: %s", r.body)
	}

	// Bootstrap-Read: the Server object yes, Security no.
	r = e.get("/1", accept(message.AppSenmlJSON))
	wantCode(t, "read /1", r, codes.Content)
	if got := decodeResp(t, r, "/1"); !lwm2m.RecordsEqual(got, srv) {
		t.Fatalf("bootstrap-read /1: %v", got)
	}
	wantCode(t, "read /0", e.get("/0"), codes.MethodNotAllowed)
	wantCode(t, "execute in bootstrap", e.post("/3/0/4", message.TextPlain, nil), codes.MethodNotAllowed)

	// Finish now succeeds and ends bootstrap mode.
	wantCode(t, "finish", e.post("/bs", message.TextPlain, nil), codes.Changed)
	if e.h.BootstrapMode() {
		t.Fatal("bootstrap mode still on after finish")
	}
	wantCode(t, "security after bootstrap", e.get("/0/1"), codes.Unauthorized)
	wantCode(t, "/bs after bootstrap", e.post("/bs", message.TextPlain, nil), codes.NotFound)
}

func TestBootstrapFinishCustomCheck(t *testing.T) {
	e := newEnv(t, "1.1")
	e.h.SetBootstrapMode(true)
	e.h.OnBootstrapFinish(func() error { return errors.New("no trust anchor") })
	r := e.post("/bs", message.TextPlain, nil)
	wantCode(t, "finish", r, codes.NotAcceptable)
	if string(r.body) != "configuration unusable: no trust anchor" {
		t.Fatalf("diagnostic %q", r.body)
	}
	e.h.OnBootstrapFinish(func() error { return nil })
	wantCode(t, "finish", e.post("/bs", message.TextPlain, nil), codes.Changed)
}

func TestBootstrapWriteErrors(t *testing.T) {
	e := newEnv(t, "1.1")
	e.h.SetBootstrapMode(true)
	wantCode(t, "write root", e.put("/", message.AppLwm2mTLV, []byte{}), codes.MethodNotAllowed)
	wantCode(t, "write executable", e.put("/1/0/8", message.TextPlain, []byte("")), codes.BadRequest)
	wantCode(t, "write device twice", e.put("/3/1/14", message.TextPlain, []byte("+01:00")), codes.BadRequest)
	wantCode(t, "discover instance", e.get("/1/0", accept(message.AppLinkFormat)), codes.MethodNotAllowed)
	wantCode(t, "unsupported format", e.put("/0/1/0", message.AppJSON, []byte(`"x"`)), codes.UnsupportedMediaType)
}
