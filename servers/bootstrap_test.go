package servers

import (
	"errors"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func bootstrapWrites() []BootstrapWrite {
	return []BootstrapWrite{
		{Path: lwm2m.NewPath(0, 1), Records: []lwm2m.Record{
			{Path: lwm2m.NewPath(0, 1, 0), Value: lwm2m.String("coaps://127.0.0.1:5684")},
			{Path: lwm2m.NewPath(0, 1, 1), Value: lwm2m.Bool(false)},
			{Path: lwm2m.NewPath(0, 1, 2), Value: lwm2m.Int(0)},
			{Path: lwm2m.NewPath(0, 1, 3), Value: lwm2m.Opaque([]byte("dev1"))},
			{Path: lwm2m.NewPath(0, 1, 5), Value: lwm2m.Opaque([]byte("secret-key-0001"))},
			{Path: lwm2m.NewPath(0, 1, 10), Value: lwm2m.Int(101)},
		}},
		{Path: lwm2m.NewPath(1, 0), Records: []lwm2m.Record{
			{Path: lwm2m.NewPath(1, 0, 0), Value: lwm2m.Int(101)},
			{Path: lwm2m.NewPath(1, 0, 1), Value: lwm2m.Int(300)},
			{Path: lwm2m.NewPath(1, 0, 7), Value: lwm2m.String("U")},
		}},
	}
}

func TestBootstrapFlow(t *testing.T) {
	for _, format := range []message.MediaType{message.AppLwm2mTLV, message.AppSenmlCbor} {
		t.Run(format.String(), func(t *testing.T) {
			log := events.NewLog()
			var asked string
			b, err := StartBootstrap(testCtx(t, time.Minute), BootstrapConfig{
				Config:    Config{DTLS: &DTLS{PSK: map[string][]byte{"dev1": []byte("secret-key-0001")}}, Events: log},
				Provision: func(ep string) ([]BootstrapWrite, error) { asked = ep; return bootstrapWrites(), nil },
				DeleteAll: true,
				Format:    format,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			finished := b.Finished("dev1")
			ctx := testCtx(t, 10*time.Second)
			dev := newFakeDevice()
			c, err := dialDTLS(ctx, b.Addr(), pskClientConfig("dev1"), dev.handle)
			if err != nil {
				t.Fatal(err)
			}
			defer c.close()
			if code, err := c.post(ctx, "/bs", "", "ep=dev1"); err != nil || code != codes.Changed {
				t.Fatalf("Bootstrap-Request: %v %v", code, err)
			}
			select {
			case err := <-finished:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("bootstrap did not finish:\n%s", timeline(log))
			}
			if asked != "dev1" {
				t.Errorf("Provision asked for %q", asked)
			}
			got := dev.seen()
			if len(got) != 4 {
				t.Fatalf("device saw %d requests: %+v", len(got), got)
			}
			if got[0].method != codes.DELETE || got[0].path != "/" {
				t.Errorf("first request %+v, want Bootstrap-Delete /", got[0])
			}
			for i, w := range bootstrapWrites() {
				r := got[1+i]
				if r.method != codes.PUT || r.path != w.Path.String() || r.format != format || !lwm2m.RecordsEqual(r.records, w.Records) {
					t.Errorf("write %d arrived as %+v", i, r)
				}
			}
			if got[3].method != codes.POST || got[3].path != "/bs" {
				t.Errorf("last request %+v, want Bootstrap-Finish", got[3])
			}
			req := waitEvent(t, log, events.BootstrapReq, time.Second, nil)
			done := waitEvent(t, log, events.BootstrapDone, time.Second, nil)
			if req.Fields["ep"] != "dev1" || req.Fields["session"] != "s1" || done.Fields["code"] != "2.04" || done.Fields["ep"] != "dev1" {
				t.Errorf("events %v / %v", req.Fields, done.Fields)
			}
			if !done.Time.After(req.Time) {
				t.Error("BootstrapDone before BootstrapReq")
			}
			// Finished after the fact still reports the outcome.
			if err := <-b.Finished("dev1"); err != nil {
				t.Errorf("late Finished: %v", err)
			}
		})
	}
}

func TestBootstrapFailures(t *testing.T) {
	log := events.NewLog()
	b, err := StartBootstrap(testCtx(t, time.Minute), BootstrapConfig{
		Config: Config{Events: log}, // NoSec
		Provision: func(string) ([]BootstrapWrite, error) {
			return []BootstrapWrite{{Path: lwm2m.NewPath(3, 0), Records: deviceStore()[:1]}}, nil
		},
		DeleteAll: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := testCtx(t, 10*time.Second)
	dev := newFakeDevice()
	c, err := dialUDP(b.Addr(), dev.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if code, err := c.post(ctx, "/bs", "", "ep=dev9"); err != nil || code != codes.Changed {
		t.Fatalf("Bootstrap-Request: %v %v", code, err)
	}
	// The fake device refuses the replace of /3/0: no Finish is sent.
	if err := <-b.Finished("dev9"); !isStatus(err, codes.MethodNotAllowed) {
		t.Fatalf("finish: %v", err)
	}
	if _, ok := log.First(events.BootstrapDone); ok {
		t.Error("BootstrapDone after a refused write")
	}
	step := waitEvent(t, log, events.Note, time.Second, func(e events.Event) bool { return e.Fields["what"] == "bootstrap_step" && e.Fields["path"] == "/3/0" })
	if step.Fields["code"] != "4.05" {
		t.Errorf("step %v", step.Fields)
	}

	// Provision errors end the sequence before any Finish.
	b2, err := StartBootstrap(testCtx(t, time.Minute), BootstrapConfig{
		Config:    Config{Events: log},
		Provision: func(string) ([]BootstrapWrite, error) { return nil, errors.New("no such device") },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	c2, err := dialUDP(b2.Addr(), dev.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.close()
	if _, err := c2.post(ctx, "/bs", "", "ep=unknown"); err != nil {
		t.Fatal(err)
	}
	if err := <-b2.Finished("unknown"); err == nil {
		t.Fatal("a failed provisioning reported success")
	}
	waitEvent(t, log, events.Note, time.Second, func(e events.Event) bool { return e.Fields["what"] == "bootstrap_failed" })
}

func TestBootstrapConfigErrors(t *testing.T) {
	ctx := testCtx(t, time.Second)
	if _, err := StartBootstrap(ctx, BootstrapConfig{}); err == nil {
		t.Error("nil Provision accepted")
	}
	prov := func(string) ([]BootstrapWrite, error) { return nil, nil }
	if _, err := StartBootstrap(ctx, BootstrapConfig{Provision: prov, Format: message.AppJSON}); err == nil {
		t.Error("JSON write format accepted")
	}
}
