package client

import (
	"context"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// bootstrapScript is what the in-test bootstrap server does after POST /bs:
// Delete /, a premature Bootstrap-Finish (refused: nothing usable yet),
// Write /0/1 and /1/1, then Bootstrap-Finish. Codes go to results.
func bootstrapScript(t *testing.T, dmURI string, results chan<- string) func(conn mux.Conn) {
	return func(conn mux.Conn) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		send := func(what string, do func() (codes.Code, error)) {
			code, err := do()
			if err != nil {
				results <- what + " error " + err.Error()
				return
			}
			results <- what + " " + code.String()
		}
		codeOf := func(resp interface{ Code() codes.Code }, err error) (codes.Code, error) {
			if err != nil {
				return 0, err
			}
			return resp.Code(), nil
		}
		send("DELETE /", func() (codes.Code, error) { return codeOf(conn.Delete(ctx, "/")) })
		send("early finish", func() (codes.Code, error) { return codeOf(conn.Post(ctx, "/bs", message.TextPlain, nil)) })
		sec := []lwm2m.Record{
			{Path: lwm2m.NewPath(0, 1, 0), Value: lwm2m.String(dmURI)},
			{Path: lwm2m.NewPath(0, 1, 1), Value: lwm2m.Bool(false)},
			{Path: lwm2m.NewPath(0, 1, 2), Value: lwm2m.Int(0)},
			{Path: lwm2m.NewPath(0, 1, 3), Value: lwm2m.Opaque([]byte("ep-bs"))},
			{Path: lwm2m.NewPath(0, 1, 4), Value: lwm2m.Opaque(nil)},
			{Path: lwm2m.NewPath(0, 1, 5), Value: lwm2m.Opaque(testPSK)},
			{Path: lwm2m.NewPath(0, 1, 10), Value: lwm2m.Int(202)},
		}
		srv := []lwm2m.Record{
			{Path: lwm2m.NewPath(1, 1, 0), Value: lwm2m.Int(202)},
			{Path: lwm2m.NewPath(1, 1, 1), Value: lwm2m.Int(40)},
			{Path: lwm2m.NewPath(1, 1, 6), Value: lwm2m.Bool(false)},
			{Path: lwm2m.NewPath(1, 1, 7), Value: lwm2m.String("U")},
		}
		for _, w := range []struct {
			path string
			recs []lwm2m.Record
		}{{"/0/1", sec}, {"/1/1", srv}} {
			p, _ := lwm2m.ParsePath(w.path)
			body, err := lwm2m.Encode(message.AppLwm2mTLV, p, w.recs)
			if err != nil {
				results <- "encode " + err.Error()
				return
			}
			send("PUT "+w.path, func() (codes.Code, error) {
				return codeOf(conn.Put(ctx, w.path, message.AppLwm2mTLV, bytesReader(body)))
			})
		}
		send("finish", func() (codes.Code, error) { return codeOf(conn.Post(ctx, "/bs", message.TextPlain, nil)) })
	}
}

func TestBootstrapThenRegister(t *testing.T) {
	dmSrv := startServer(t, serverSetup{pskIdentity: "ep-bs", pskKey: testPSK})
	results := make(chan string, 16)
	bsSrv := startServer(t, serverSetup{pskIdentity: "ep-bs-boot", pskKey: testPSK, onBootstrap: bootstrapScript(t, dmSrv.uri(), results)})

	m := model.New("ep-bs", "1.1")
	if err := m.PutSecurity(model.Security{Instance: 0, URI: bsSrv.uri(), Bootstrap: true, Mode: modePSK, PublicKeyOrIdentity: []byte("ep-bs-boot"), SecretKey: testPSK}); err != nil {
		t.Fatal(err)
	}
	r := start(t, Options{Model: m})

	if ev := bsSrv.next("bootstrap", 5*time.Second); ev.query["ep"] != "ep-bs" {
		t.Fatalf("Bootstrap-Request query %v, want ep=ep-bs", ev.query)
	}
	want := []string{"DELETE / Deleted", "early finish NotAcceptable", "PUT /0/1 Changed", "PUT /1/1 Changed", "finish Changed"}
	for _, w := range want {
		select {
		case got := <-results:
			if got != w {
				t.Fatalf("bootstrap step %q, want %q", got, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("bootstrap step %q did not happen", w)
		}
	}
	reg := dmSrv.next("register", 5*time.Second)
	if reg.query["ep"] != "ep-bs" || reg.query["lt"] != "40" {
		t.Fatalf("Register after bootstrap: query %v", reg.query)
	}
	r.registered(t)
	st := r.c.Status()
	if !st.Bootstrapped || st.Registered[202] == "" {
		t.Fatalf("status %+v, want bootstrapped and registered with ssid 202", st)
	}
	if bs, ok := bootstrapSecurity(m); !ok || bs.URI != bsSrv.uri() {
		t.Fatal("Delete / removed the bootstrap account")
	}
}

func TestFallbackToBootstrapAfterRegistrationFailures(t *testing.T) {
	dmSrv := startServer(t, serverSetup{pskIdentity: "ep-bs", pskKey: testPSK})
	results := make(chan string, 16)
	bsSrv := startServer(t, serverSetup{pskIdentity: "ep-bs-boot", pskKey: testPSK, onBootstrap: bootstrapScript(t, dmSrv.uri(), results)})

	// Factory bootstrap points at a dead server; a bootstrap account exists.
	m := provisioned(t, "ep-bs", model.Security{URI: "coaps://" + freeUDPAddr(t), Mode: modePSK, PublicKeyOrIdentity: []byte("x"), SecretKey: testPSK}, 30*time.Second)
	if err := m.PutSecurity(model.Security{Instance: 9, URI: bsSrv.uri(), Bootstrap: true, Mode: modePSK, PublicKeyOrIdentity: []byte("ep-bs-boot"), SecretKey: testPSK}); err != nil {
		t.Fatal(err)
	}
	r := start(t, Options{Model: m, RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond})
	bsSrv.next("bootstrap", 5*time.Second)
	dmSrv.next("register", 5*time.Second)
	failed := 0
	for _, h := range r.handshakes() {
		if h.Err != nil {
			failed++
		}
	}
	if failed != registrationRetries {
		t.Fatalf("%d failed handshakes before bootstrap, want %d", failed, registrationRetries)
	}
}
