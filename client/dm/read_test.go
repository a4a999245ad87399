package dm

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

func TestReadAtEachLevelAndFormat(t *testing.T) {
	e := newEnv(t, "1.1")
	for _, tc := range []struct {
		path   string
		accept message.MediaType
		format message.MediaType
		count  int
	}{
		{"/3/0/0", noAccept, message.TextPlain, 1},
		{"/3/0/0", message.AppSenmlJSON, message.AppSenmlJSON, 1},
		{"/3/0/0", message.AppCBOR, message.AppCBOR, 1},
		{"/3/0/11", noAccept, message.AppSenmlCbor, 1},
		{"/3/0/11/0", noAccept, message.TextPlain, 1},
		{"/3/0/11", message.AppLwm2mTLV, message.AppLwm2mTLV, 1},
		{"/3/0", noAccept, message.AppSenmlCbor, 9},
		{"/3/0", message.AppLwm2mTLV, message.AppLwm2mTLV, 9},
		{"/3/0", message.AppSenmlJSON, message.AppSenmlJSON, 9},
		{"/3", message.AppLwm2mTLV, message.AppLwm2mTLV, 9},
		{"/3", message.AppSenmlJSON, message.AppSenmlJSON, 9},
		{"/3/0/11/0", message.AppLwm2mTLV, message.AppLwm2mTLV, 1},
		{"/3/0/11/0", message.AppSenmlCbor, message.AppSenmlCbor, 1},
		{"/1", message.AppSenmlCbor, message.AppSenmlCbor, 4},
	} {
		r := e.getAccept(tc.path, tc.accept)
		wantCode(t, tc.path, r, codes.Content)
		if r.format != tc.format {
			t.Errorf("%s accept %v: format %v, want %v", tc.path, tc.accept, r.format, tc.format)
			continue
		}
		recs := decodeResp(t, r, tc.path)
		if len(recs) != tc.count {
			t.Errorf("%s in %v: %d records, want %d: %v", tc.path, tc.format, len(recs), tc.count, recs)
		}
		want, err := e.m.Read(mustPath(t, tc.path))
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			// Current Time may tick between the two reads.
			if recs[i].Path.String() != "/3/0/13" && !recs[i].Equal(want[i]) {
				t.Errorf("%s in %v: record %v, model has %v", tc.path, tc.format, recs[i], want[i])
			}
		}
	}
	if r := e.get("/3/0/0"); string(r.body) != "lwm2m-conform" {
		t.Fatalf("manufacturer as text: %q", r.body)
	}
}

func TestReadLwM2M10DefaultsToTLV(t *testing.T) {
	e := newEnv(t, "1.0")
	r := e.get("/3/0")
	wantCode(t, "read /3/0", r, codes.Content)
	if r.format != message.AppLwm2mTLV {
		t.Fatalf("1.0 default format %v", r.format)
	}
	wantCode(t, "SenML on 1.0", e.get("/3/0", accept(message.AppSenmlCbor)), codes.NotAcceptable)
}

func TestReadErrors(t *testing.T) {
	e := newEnv(t, "1.1")
	for _, tc := range []struct {
		path   string
		accept message.MediaType
		want   codes.Code
	}{
		{"/3/0/99", noAccept, codes.NotFound},
		{"/3/7", noAccept, codes.NotFound},
		{"/42", noAccept, codes.NotFound},
		{"/bs", noAccept, codes.NotFound},
		{"/0", noAccept, codes.Unauthorized},
		{"/0/1/0", noAccept, codes.Unauthorized},
		{"/3/0/4", noAccept, codes.MethodNotAllowed},
		{"/3/0", message.TextPlain, codes.NotAcceptable},
		{"/3/0/0", message.AppOctets, codes.NotAcceptable},
		{"/3/0/0", message.MediaType(1234), codes.NotAcceptable},
	} {
		r := e.getAccept(tc.path, tc.accept)
		wantCode(t, tc.path, r, tc.want)
		if r.hasCF {
			t.Errorf("%s: error response carries a Content-Format", tc.path)
		}
	}
}

func TestReadResourceInstanceValue(t *testing.T) {
	e := newEnv(t, "1.1")
	if err := e.m.Set(mustPath(t, "/3/0/11/2"), lwm2m.Int(7)); err != nil {
		t.Fatal(err)
	}
	if r := e.get("/3/0/11/2"); r.code != codes.Content || string(r.body) != "7" {
		t.Fatalf("/3/0/11/2: %v %q", r.code, r.body)
	}
}
