package servers

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestManagementOperations(t *testing.T) {
	log := events.NewLog()
	s := startPSKServer(t, log, nil)
	ctx := testCtx(t, 10*time.Second)
	dev := newFakeDevice()
	c, err := dialDTLS(ctx, s.Addr(), pskClientConfig("dev1"), dev.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if _, err := c.register(ctx, "dev1", registerLinks); err != nil {
		t.Fatal(err)
	}

	t.Run("Read", func(t *testing.T) {
		recs, err := s.Read(ctx, "dev1", lwm2m.NewPath(3, 0), message.AppLwm2mTLV)
		if err != nil {
			t.Fatal(err)
		}
		if !lwm2m.RecordsEqual(recs, deviceStore()) {
			t.Fatalf("read %v", recs)
		}
		one, err := s.Read(ctx, "dev1", lwm2m.NewPath(3, 0, 0), 0)
		if err != nil || len(one) != 1 || one[0].Value.String() != "Open Mobile Alliance" {
			t.Fatalf("plain-text read %v %v", one, err)
		}
		senml, err := s.Read(ctx, "dev1", lwm2m.NewPath(3, 0, 11), message.AppSenmlJSON)
		if err != nil || !lwm2m.RecordsEqual(senml, deviceStore()[2:4]) {
			t.Fatalf("SenML read %v %v", senml, err)
		}
		if _, err := s.Read(ctx, "dev1", lwm2m.NewPath(4, 0), 0); !isStatus(err, codes.NotFound) {
			t.Fatalf("read of a missing object: %v", err)
		}
	})

	t.Run("Write", func(t *testing.T) {
		recs := []lwm2m.Record{
			{Path: lwm2m.NewPath(1, 0, 0), Value: lwm2m.Int(101)},
			{Path: lwm2m.NewPath(1, 0, 1), Value: lwm2m.Int(300)},
			{Path: lwm2m.NewPath(1, 0, 7), Value: lwm2m.String("U")},
		}
		if err := s.Write(ctx, "dev1", lwm2m.NewPath(1, 0), message.AppLwm2mTLV, recs, true); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, "dev1", lwm2m.NewPath(1, 0), message.AppSenmlCbor, recs[1:2], false); err != nil {
			t.Fatal(err)
		}
		got := dev.seen()
		put, post := got[len(got)-2], got[len(got)-1]
		if put.method != codes.PUT || put.path != "/1/0" || put.format != message.AppLwm2mTLV || !lwm2m.RecordsEqual(put.records, recs) {
			t.Errorf("replace arrived as %+v", put)
		}
		if post.method != codes.POST || post.format != message.AppSenmlCbor || !lwm2m.RecordsEqual(post.records, recs[1:2]) {
			t.Errorf("partial update arrived as %+v", post)
		}
	})

	t.Run("Execute", func(t *testing.T) {
		if err := s.Execute(ctx, "dev1", lwm2m.NewPath(3, 0, 4), "0='now'"); err != nil {
			t.Fatal(err)
		}
		if err := s.Execute(ctx, "dev1", lwm2m.NewPath(1, 0, 8), ""); err != nil {
			t.Fatal(err)
		}
		got := dev.seen()
		withArgs, bare := got[len(got)-2], got[len(got)-1]
		if withArgs.method != codes.POST || withArgs.path != "/3/0/4" || withArgs.payload != "0='now'" {
			t.Errorf("execute with arguments arrived as %+v", withArgs)
		}
		if bare.path != "/1/0/8" || bare.payload != "" {
			t.Errorf("execute without arguments arrived as %+v", bare)
		}
	})

	t.Run("Discover", func(t *testing.T) {
		links, err := s.Discover(ctx, "dev1", lwm2m.NewPath(3, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(links) != 4 || links[2].Target != "/3/0/11" {
			t.Fatalf("links %+v", links)
		}
		if dim, ok := links[2].Param("dim"); !ok || dim != "2" {
			t.Fatalf("dim of %+v", links[2])
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := s.Delete(ctx, "dev1", lwm2m.NewPath(2, 0)); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "dev1", lwm2m.NewPath(3, 0)); !isStatus(err, codes.MethodNotAllowed) {
			t.Fatalf("delete of /3/0: %v", err)
		}
	})

	t.Run("Observe", func(t *testing.T) {
		var mu sync.Mutex
		var times []int64
		got3 := make(chan struct{})
		cancel, err := s.Observe(ctx, "dev1", lwm2m.NewPath(3, 0, 13), func(recs []lwm2m.Record) {
			mu.Lock()
			defer mu.Unlock()
			if len(recs) == 1 {
				tm, _ := recs[0].Value.AsTime()
				times = append(times, tm.Unix())
			}
			if len(times) == 3 {
				close(got3)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-got3:
		case <-time.After(2 * time.Second):
			t.Fatal("notifications did not arrive")
		}
		mu.Lock()
		if times[0] != 1700000000 || times[1] != 1700000002 || times[2] != 1700000003 {
			t.Errorf("observed times %v", times)
		}
		mu.Unlock()
		if err := cancel(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case <-dev.observe:
		case <-time.After(time.Second):
			t.Fatal("the device never saw the cancellation")
		}
	})

	if _, err := s.Read(ctx, "ghost", lwm2m.NewPath(3, 0), 0); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("read on an unregistered endpoint: %v", err)
	}
}

func isStatus(err error, code codes.Code) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == code
}
