package dm

import (
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

func TestDiscoverWithAttributes(t *testing.T) {
	e := newEnv(t, "1.1")
	e.writeAttrs("/3", "pmin=10")
	e.writeAttrs("/3/0", "pmax=60")
	e.writeAttrs("/1", "pmin=10")
	e.writeAttrs("/1/0", "pmax=60")
	e.writeAttrs("/1/0/1", "gt=50", "lt=42.5")
	e.writeAttrs("/1/0/1", "lt") // removes lt again
	disc := func(p string) string {
		t.Helper()
		r := e.get(p, accept(message.AppLinkFormat))
		wantCode(t, "discover "+p, r, codes.Content)
		if r.format != message.AppLinkFormat {
			t.Fatalf("discover %s: format %v", p, r.format)
		}
		return string(r.body)
	}
	const device = "</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/5>,</3/0/11>;dim=1,</3/0/12>," +
		"</3/0/13>,</3/0/14>,</3/0/15>,</3/0/16>"
	for p, want := range map[string]string{
		"/3":      "</3>;pmin=10,</3/0>;pmax=60," + device,
		"/3/0":    "</3/0>;pmax=60," + device,
		"/3/0/11": "</3/0/11>;dim=1;pmin=10;pmax=60,</3/0/11/0>",
		"/1/0/1":  "</1/0/1>;pmin=10;pmax=60;gt=50",
		"/1/0":    "</1/0>;pmax=60,</1/0/0>,</1/0/1>;gt=50,</1/0/4>,</1/0/6>,</1/0/7>,</1/0/8>,</1/0/9>",
	} {
		if got := disc(p); got != want {
			t.Errorf("discover %s\n got %s\nwant %s", p, got, want)
		}
	}
	wantCode(t, "discover security", e.get("/0", accept(message.AppLinkFormat)), codes.Unauthorized)
	wantCode(t, "discover unknown", e.get("/3/0/9", accept(message.AppLinkFormat)), codes.NotFound)
}

func TestDiscoverLwM2M10ListsNoResourceInstances(t *testing.T) {
	e := newEnv(t, "1.0")
	r := e.get("/3/0/11", accept(message.AppLinkFormat))
	if r.code != codes.Content || string(r.body) != "</3/0/11>;dim=1" {
		t.Fatalf("1.0 discover /3/0/11: %v %s", r.code, r.body)
	}
}

func TestWriteAttributesErrors(t *testing.T) {
	e := newEnv(t, "1.1")
	for _, tc := range []struct {
		path string
		qs   []string
		want codes.Code
	}{
		{"/1/0/1", []string{"foo=1"}, codes.BadRequest},
		{"/1/0/1", []string{"pmin=soon"}, codes.BadRequest},
		{"/1/0/1", []string{"pmin=-1"}, codes.BadRequest},
		{"/1/0/1", []string{"pmin=1", "pmin=2"}, codes.BadRequest},
		{"/1/0/1", []string{"pmin=20", "pmax=10"}, codes.BadRequest},
		{"/1/0/1", []string{"gt=10", "lt=20"}, codes.BadRequest},
		{"/1/0/1", []string{"gt=20", "lt=10", "st=5"}, codes.BadRequest}, // lt + 2*st = gt
		{"/1/0/1", []string{"st=-1"}, codes.BadRequest},
		{"/1/0/7", []string{"gt=1"}, codes.BadRequest}, // not numeric
		{"/1/0", []string{"st=1"}, codes.BadRequest},   // not a resource
		{"/3/0/4", []string{"pmin=1"}, codes.MethodNotAllowed},
		{"/3/0/9", []string{"pmin=1"}, codes.NotFound},
		{"/3/0/11/4", []string{"pmin=1"}, codes.NotFound},
		{"/0/1", []string{"pmin=1"}, codes.Unauthorized},
	} {
		opts := make([]message.Option, len(tc.qs))
		for i, q := range tc.qs {
			opts[i] = query(q)
		}
		wantCode(t, tc.path+" "+tc.qs[0], e.put(tc.path, 0, nil, opts...), tc.want)
	}
	if got := e.h.attrs.at(mustPath(t, "/1/0/1")); !got.empty() {
		t.Fatalf("refused attributes were stored: %+v", got)
	}
	// Attributes on a resource instance are allowed (LwM2M 1.1).
	e.writeAttrs("/3/0/11/0", "pmax=30")
}
