package dm

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
)

func TestWriteReplaceAndPartialUpdate(t *testing.T) {
	e := newEnv(t, "1.1")
	// Partial update (POST) adds Default Min Period, keeps the rest.
	r := e.post("/1/0", message.AppLwm2mTLV, encodeRecs(t, message.AppLwm2mTLV, "/1/0", rec(t, "/1/0/2", lwm2m.Int(5))))
	wantCode(t, "partial update", r, codes.Changed)
	if srv := e.m.Servers()[0]; srv.DefaultPmin.Seconds() != 5 || srv.Lifetime.Seconds() != 300 {
		t.Fatalf("after partial update: %+v", srv)
	}
	// Replace (PUT) with Lifetime only drops the optional Default Min
	// Period; mandatory resources stay.
	r = e.put("/1/0", message.AppSenmlJSON, encodeRecs(t, message.AppSenmlJSON, "/1/0", rec(t, "/1/0/1", lwm2m.Int(60))))
	wantCode(t, "replace", r, codes.Changed)
	if srv := e.m.Servers()[0]; srv.DefaultPmin != 0 || srv.Lifetime.Seconds() != 60 || srv.Binding != "U" {
		t.Fatalf("after replace: %+v", srv)
	}
	// A single resource in plain text and in SenML CBOR.
	wantCode(t, "text write", e.put("/1/0/1", message.TextPlain, []byte("120")), codes.Changed)
	wantCode(t, "cbor write", e.put("/1/0/7", message.AppSenmlCbor,
		encodeRecs(t, message.AppSenmlCbor, "/1/0/7", rec(t, "/1/0/7", lwm2m.String("UQ")))), codes.Changed)
	if srv := e.m.Servers()[0]; srv.Lifetime.Seconds() != 120 || srv.Binding != "UQ" {
		t.Fatalf("after resource writes: %+v", srv)
	}
	// Current Time is writable and moves the device clock.
	wantCode(t, "time write", e.put("/3/0/13", message.TextPlain, []byte("1000000000")), codes.Changed)
	if e.m.ClockOffset() >= 0 {
		t.Fatalf("clock offset %v after setting a time in 2001", e.m.ClockOffset())
	}
}

func TestWriteErrors(t *testing.T) {
	e := newEnv(t, "1.1")
	tlv := func(p string, v lwm2m.Value) []byte {
		return encodeRecs(t, message.AppLwm2mTLV, p, rec(t, p, v))
	}
	for _, tc := range []struct {
		name   string
		path   string
		format message.MediaType
		body   []byte
		want   codes.Code
	}{
		{"read-only resource", "/3/0/0", message.TextPlain, []byte("x"), codes.MethodNotAllowed},
		{"read-only in instance", "/1/0", message.AppLwm2mTLV, tlv("/1/0/0", lwm2m.Int(9)), codes.MethodNotAllowed},
		{"security object", "/0/1/0", message.TextPlain, []byte("coap://x"), codes.Unauthorized},
		{"unknown instance", "/1/4/1", message.TextPlain, []byte("5"), codes.NotFound},
		{"unknown resource", "/1/0/99", message.TextPlain, []byte("5"), codes.NotFound},
		{"object level", "/1", message.AppLwm2mTLV, tlv("/1/0/1", lwm2m.Int(9)), codes.MethodNotAllowed},
		{"bad text", "/1/0/1", message.TextPlain, []byte("soon"), codes.BadRequest},
		{"truncated TLV", "/1/0", message.AppLwm2mTLV, []byte{0xC8, 0x01, 0x10}, codes.BadRequest},
		{"unsupported format", "/1/0/1", message.AppJSON, []byte("5"), codes.UnsupportedMediaType},
		{"LwM2M JSON", "/1/0/1", message.AppLwm2mJSON, []byte("{}"), codes.UnsupportedMediaType},
	} {
		wantCode(t, tc.name, e.put(tc.path, tc.format, tc.body), tc.want)
	}
	// No Content-Format at all.
	m, err := e.srv.Do(func() *pool.Message {
		req, err := e.srv.NewPutRequest(ctx(t), "/1/0/1", message.TextPlain, payload([]byte("5")))
		if err != nil {
			t.Fatal(err)
		}
		req.Remove(message.ContentFormat)
		return req
	}())
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "no content format", toResp(t, m), codes.BadRequest)
	if srv := e.m.Servers()[0]; srv.Lifetime.Seconds() != 300 {
		t.Fatalf("a refused write changed the lifetime: %+v", srv)
	}
}

func TestExecute(t *testing.T) {
	e := newEnv(t, "1.1")
	got := make(chan string, 1)
	e.m.OnExecute(mustPath(t, "/3/0/4"), func(args string) error { got <- args; return nil })
	wantCode(t, "reboot", e.post("/3/0/4", message.TextPlain, []byte("0='soon'")), codes.Changed)
	if a := <-got; a != "0='soon'" {
		t.Fatalf("reboot args %q", a)
	}
	wantCode(t, "execute readable", e.post("/3/0/0", message.TextPlain, nil), codes.MethodNotAllowed)
	wantCode(t, "execute unknown", e.post("/3/0/99", message.TextPlain, nil), codes.NotFound)
	wantCode(t, "bad arguments", e.post("/3/0/4", message.TextPlain, []byte("reboot now")), codes.BadRequest)
	wantCode(t, "execute on resource instance", e.post("/3/0/11/0", message.TextPlain, nil), codes.MethodNotAllowed)
}

func TestCreateAndDelete(t *testing.T) {
	e := newEnv(t, "1.1")
	server := func(inst string, ssid int64) []lwm2m.Record {
		return []lwm2m.Record{
			rec(t, "/1/"+inst+"/0", lwm2m.Int(ssid)), rec(t, "/1/"+inst+"/1", lwm2m.Int(60)),
			rec(t, "/1/"+inst+"/6", lwm2m.Bool(false)), rec(t, "/1/"+inst+"/7", lwm2m.String("U")),
		}
	}
	// Bare resources: the client picks the instance id.
	r := e.post("/1", message.AppLwm2mTLV, encodeRecs(t, message.AppLwm2mTLV, "/1/0", server("0", 102)...))
	wantCode(t, "create", r, codes.Created)
	if r.location != "/1/1" {
		t.Fatalf("location %q, want /1/1", r.location)
	}
	// An object-instance TLV (or SenML names) asks for an id.
	r = e.post("/1", message.AppLwm2mTLV, encodeRecs(t, message.AppLwm2mTLV, "/1", server("5", 103)...))
	wantCode(t, "create with id", r, codes.Created)
	if r.location != "/1/5" {
		t.Fatalf("location %q, want /1/5", r.location)
	}
	r = e.post("/1", message.AppSenmlJSON, encodeRecs(t, message.AppSenmlJSON, "/1", server("5", 104)...))
	wantCode(t, "create existing", r, codes.BadRequest)
	r = e.post("/1", message.AppSenmlJSON, encodeRecs(t, message.AppSenmlJSON, "/1", server("6", 104)[:2]...))
	wantCode(t, "create without mandatory resources", r, codes.BadRequest)
	if got := e.m.Instances(1); len(got) != 3 {
		t.Fatalf("server instances %v", got)
	}
	wantCode(t, "delete", e.del("/1/5"), codes.Deleted)
	wantCode(t, "delete again", e.del("/1/5"), codes.NotFound)
	wantCode(t, "delete device", e.del("/3/0"), codes.MethodNotAllowed)
	wantCode(t, "delete security", e.del("/0/1"), codes.Unauthorized)
	wantCode(t, "delete object", e.del("/1"), codes.MethodNotAllowed)
	if got := e.m.Instances(1); len(got) != 2 {
		t.Fatalf("server instances after delete %v", got)
	}
}
