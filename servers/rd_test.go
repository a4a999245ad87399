package servers

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

const registerLinks = `</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>`

func TestRegistrationInterface(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	ctx := testCtx(t, 10*time.Second)
	c, err := dialDTLS(ctx, s.Addr(), pskClientConfig("dev1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	loc, err := c.register(ctx, "dev1", registerLinks, "lt=300", "lwm2m=1.1", "b=U")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/?rd/[0-9a-f]{8}$`).MatchString(loc) {
		t.Fatalf("location %q", loc)
	}
	reg := waitEvent(t, log, events.Register, time.Second, nil)
	want := map[string]string{"ep": "dev1", "lt": "300", "lwm2m": "1.1", "b": "U", "links": registerLinks,
		"location": "/rd/" + loc[len(loc)-8:], "session": "s1", "code": "2.01", "remote": c.sock.LocalAddr().String()}
	for k, v := range want {
		if reg.Fields[k] != v {
			t.Errorf("Register %s = %q, want %q", k, reg.Fields[k], v)
		}
	}
	r, ok := s.Registration("dev1")
	if !ok || r.Version != "1.1" || r.Lifetime != "300" || r.Binding != "U" || len(r.Links) != 3 || r.Session != "s1" || r.Location != want["location"] {
		t.Fatalf("registration %+v", r)
	}
	if got, err := s.WaitRegistered(ctx, "dev1"); err != nil || got.Location != r.Location {
		t.Fatalf("WaitRegistered %+v %v", got, err)
	}

	// Update with new lifetime and objects, then one changing only the binding.
	if code, err := c.post(ctx, r.Location, "</1/0>,</3/0>,</5/0>", "lt=600"); err != nil || code != codes.Changed {
		t.Fatalf("Update: %v %v", code, err)
	}
	up := waitEvent(t, log, events.Update, time.Second, nil)
	if up.Fields["lt"] != "600" || up.Fields["links"] != "</1/0>,</3/0>,</5/0>" || up.Fields["ep"] != "dev1" {
		t.Errorf("Update fields %v", up.Fields)
	}
	if code, err := c.post(ctx, r.Location, "", "b=UQ"); err != nil || code != codes.Changed {
		t.Fatalf("Update: %v %v", code, err)
	}
	r2, _ := s.Registration("dev1")
	if r2.Lifetime != "600" || r2.Binding != "UQ" || len(r2.Links) != 3 || r2.Links[2].Target != "/5/0" || !r2.Updated.After(r.Updated) {
		t.Fatalf("after updates %+v", r2)
	}

	if code, err := c.post(ctx, "/rd/00000000", "", "lt=60"); err != nil || code != codes.NotFound {
		t.Fatalf("Update of unknown registration: %v %v", code, err)
	}
	waitEvent(t, log, events.Request, time.Second, func(e events.Event) bool {
		return e.Fields["path"] == "/rd/00000000" && e.Fields["code"] == "4.04"
	})

	if code, err := c.delete(ctx, r.Location); err != nil || code != codes.Deleted {
		t.Fatalf("De-register: %v %v", code, err)
	}
	de := waitEvent(t, log, events.Deregister, time.Second, nil)
	if de.Fields["ep"] != "dev1" || de.Fields["location"] != r.Location {
		t.Errorf("Deregister fields %v", de.Fields)
	}
	if _, ok := s.Registration("dev1"); ok {
		t.Error("registration survives De-register")
	}
	if code, _ := c.delete(ctx, r.Location); code != codes.NotFound {
		t.Errorf("second De-register answered %v", code)
	}
}

func TestRegisterRejectsBadRequests(t *testing.T) {
	log := events.NewLog()
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{Events: log}) // NoSec
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := dialUDP(s.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := testCtx(t, 5*time.Second)
	for _, tc := range []struct {
		name, links string
		query       []string
		code        codes.Code
	}{
		{"no endpoint", registerLinks, nil, codes.BadRequest},
		{"bad lifetime", registerLinks, []string{"ep=x", "lt=soon"}, codes.BadRequest},
		{"bad links", "</1/0", []string{"ep=x"}, codes.BadRequest},
	} {
		code, err := c.post(ctx, "/rd", tc.links, tc.query...)
		if err != nil || code != tc.code {
			t.Errorf("%s: %v %v, want %v", tc.name, code, err, tc.code)
		}
	}
	if code, _ := c.post(ctx, "/dp", "x"); code != codes.NotFound {
		t.Errorf("POST /dp answered %v", code)
	}
	if n := len(eventsOf(log, events.Request)); n != 4 {
		t.Errorf("%d Request events, want 4:\n%s", n, timeline(log))
	}
	if _, ok := log.First(events.Register); ok {
		t.Error("a rejected Register was recorded as Register")
	}

	// A good NoSec Register has no DTLS session and defaults filled in.
	if _, err := c.register(ctx, "nosec", "</3/0>"); err != nil {
		t.Fatal(err)
	}
	r, ok := s.Registration("nosec")
	if !ok || r.Session != "" || r.Lifetime != "86400" || r.Version != "1.0" || r.Binding != "U" {
		t.Fatalf("NoSec registration %+v", r)
	}
}

func TestWaitRegistered(t *testing.T) {
	s, err := StartLwM2M(testCtx(t, time.Minute), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.WaitRegistered(short, "late"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	got := make(chan Registration, 1)
	go func() {
		r, err := s.WaitRegistered(testCtx(t, 5*time.Second), "late")
		if err == nil {
			got <- r
		}
		close(got)
	}()
	c, err := dialUDP(s.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if _, err := c.register(testCtx(t, 5*time.Second), "late", "</3/0>"); err != nil {
		t.Fatal(err)
	}
	select {
	case r, ok := <-got:
		if !ok || r.Endpoint != "late" {
			t.Fatalf("WaitRegistered returned %+v", r)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("WaitRegistered did not return after Register")
	}
}
