package servers

import (
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// What device mode needs of the bootstrap server: a Provision that holds a
// device until a case wants it without eating the sequence's bound, and
// optional writes that a client lacking the resource may refuse.
func TestBootstrapHeldProvisionAndOptionalWrites(t *testing.T) {
	refused := lwm2m.NewPath(1, 0, 16)
	writes := append(bootstrapWrites(),
		BootstrapWrite{Path: refused, Records: []lwm2m.Record{{Path: refused, Value: lwm2m.Bool(true)}}, Optional: true},
		BootstrapWrite{Path: lwm2m.NewPath(1, 0, 17), Records: []lwm2m.Record{{Path: lwm2m.NewPath(1, 0, 17), Value: lwm2m.Uint(1)}}, Optional: true},
	)
	log := events.NewLog()
	b, err := StartBootstrap(testCtx(t, time.Minute), BootstrapConfig{
		Config: Config{Events: log},
		Provision: func(string) ([]BootstrapWrite, error) {
			time.Sleep(600 * time.Millisecond) // held longer than the bound below
			return writes, nil
		},
		DeleteAll: true,
		Timeout:   400 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	finished := b.Finished("dev1")
	dev := newFakeDevice()
	lacks16 := func(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
		if p, _ := r.Path(); p == refused.String() {
			_ = w.SetResponse(codes.NotFound, 0, nil)
			return
		}
		dev.handle(w, r)
	}
	c, err := dialUDP(b.Addr(), lacks16)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := testCtx(t, 10*time.Second)
	if code, err := c.post(ctx, "/bs", "", "ep=dev1"); err != nil || code != codes.Changed {
		t.Fatalf("Bootstrap-Request: %v %v", code, err)
	}
	select {
	case err := <-finished:
		if err != nil {
			t.Fatalf("bootstrap failed: %v\n%s", err, timeline(log))
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("bootstrap did not finish:\n%s", timeline(log))
	}
	got := dev.seen()
	if last := got[len(got)-2]; last.path != "/1/0/17" {
		t.Errorf("the write after the refused optional one: %+v", last)
	}
	var noted bool
	for _, e := range log.Events() {
		noted = noted || e.Fields["path"] == refused.String() && e.Fields["code"] == "4.04"
	}
	if !noted {
		t.Errorf("the refusal of %s is not in the timeline:\n%s", refused, timeline(log))
	}

	// A refused write that is not optional still fails the sequence.
	writes[len(writes)-2].Optional = false
	b.mu.Lock() // forget the first outcome: Finished then waits for the next
	delete(b.results, "dev1")
	b.mu.Unlock()
	finished = b.Finished("dev1")
	if code, err := c.post(ctx, "/bs", "", "ep=dev1"); err != nil || code != codes.Changed {
		t.Fatalf("second Bootstrap-Request: %v %v", code, err)
	}
	select {
	case err := <-finished:
		if err == nil {
			t.Fatal("a refused mandatory write did not fail the bootstrap")
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("second bootstrap did not end:\n%s", timeline(log))
	}
}
