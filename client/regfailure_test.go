package client

import (
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// deadServerWithBootstrap is a client whose only server account points at
// nothing, with a bootstrap account at bsURI and Server resources 16-20
// set as given (nil leaves them unset).
func deadServerWithBootstrap(t *testing.T, bsURI string, srv map[uint16]lwm2m.Value) *model.Model {
	t.Helper()
	m := provisioned(t, "ep-bs", model.Security{URI: "coaps://" + freeUDPAddr(t), Mode: modePSK, PublicKeyOrIdentity: []byte("x"), SecretKey: testPSK}, 30*time.Second)
	if err := m.PutSecurity(model.Security{Instance: 9, URI: bsURI, Bootstrap: true, Mode: modePSK, PublicKeyOrIdentity: []byte("ep-bs-boot"), SecretKey: testPSK}); err != nil {
		t.Fatal(err)
	}
	for res, v := range srv {
		if err := m.Set(lwm2m.NewPath(lwm2m.ObjServer, 0, res), v); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func failedHandshakes(r *running) int {
	n := 0
	for _, h := range r.handshakes() {
		if h.Err != nil {
			n++
		}
	}
	return n
}

// A server account that sets Communication Retry Count 1 and Sequence
// Retry Count 1 sends the client back to bootstrap after one failure, as
// a harness steering a device between cases relies on.
func TestRegistrationFailureResourcesShortenTheFallback(t *testing.T) {
	dmSrv := startServer(t, serverSetup{pskIdentity: "ep-bs", pskKey: testPSK})
	results := make(chan string, 16)
	bsSrv := startServer(t, serverSetup{pskIdentity: "ep-bs-boot", pskKey: testPSK, onBootstrap: bootstrapScript(t, dmSrv.uri(), results)})
	m := deadServerWithBootstrap(t, bsSrv.uri(), map[uint16]lwm2m.Value{
		16: lwm2m.Bool(true), 17: lwm2m.Uint(1), 18: lwm2m.Uint(0), 19: lwm2m.Uint(0), 20: lwm2m.Uint(1),
	})
	// A long own backoff: only the server's timers can make this quick.
	r := start(t, Options{Model: m, RetryBase: time.Minute, RetryMax: time.Minute})
	bsSrv.next("bootstrap", 5*time.Second)
	dmSrv.next("register", 5*time.Second)
	if n := failedHandshakes(r); n != 1 {
		t.Fatalf("%d failed handshakes before bootstrap, want 1", n)
	}
}

// Bootstrap on Registration Failure false keeps the client retrying its
// server, however often it fails.
func TestNoBootstrapOnRegistrationFailure(t *testing.T) {
	bsSrv := startServer(t, serverSetup{pskIdentity: "ep-bs-boot", pskKey: testPSK})
	m := deadServerWithBootstrap(t, bsSrv.uri(), map[uint16]lwm2m.Value{
		16: lwm2m.Bool(false), 17: lwm2m.Uint(1), 18: lwm2m.Uint(0), 20: lwm2m.Uint(1),
	})
	r := start(t, Options{Model: m, RetryBase: 5 * time.Millisecond, RetryMax: 5 * time.Millisecond})
	deadline := time.Now().Add(5 * time.Second)
	for failedHandshakes(r) < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := failedHandshakes(r); n < 4 {
		t.Fatalf("only %d failed handshakes in 5s", n)
	}
	select {
	case ev := <-bsSrv.events:
		t.Fatalf("bootstrap server got %s although /1/0/16 is false", ev.kind)
	default:
	}
}

func TestRetryDelayFollowsTheServerTimers(t *testing.T) {
	rf := model.RegistrationFailure{RetryCount: 3, RetryTimer: time.Second, RetryTimerSet: true,
		SequenceDelay: 7 * time.Second, SequenceDelaySet: true, SequenceRetryCount: 2}
	bo := newBackoff(time.Hour, time.Hour)
	var got []time.Duration
	for f := 1; f <= 6; f++ {
		got = append(got, retryDelay(rf, f, bo))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 7 * time.Second, time.Second, 2 * time.Second, 7 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("delays %v, want %v", got, want)
		}
	}
	if d := retryDelay(model.RegistrationFailure{RetryCount: 5, SequenceRetryCount: 1}, 1, bo); d != time.Hour {
		t.Fatalf("unset timers: %s, want the client's own backoff (1h)", d)
	}
}
