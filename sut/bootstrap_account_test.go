package sut

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func writePaths(t *testing.T, o BootstrapOptions) string {
	t.Helper()
	tg := Target{Endpoint: "ep", ServerURI: "coaps://127.0.0.1:5684", Mode: "psk", Usage: -1, PSKIdentity: "dev-1", PSKKey: []byte{1}}
	writes, err := bootstrapWrites(tg, "coap://127.0.0.1:5783", o)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, w := range writes {
		paths = append(paths, w.Path.String())
		for _, r := range w.Records {
			if !w.Path.IsPrefixOf(r.Path) {
				t.Errorf("write %s carries %s", w.Path, r.Path)
			}
		}
	}
	return strings.Join(paths, " ")
}

func TestBootstrapWritesAroundTheClientsAccount(t *testing.T) {
	if got := writePaths(t, BootstrapOptions{}); got != "/0/0 /0/1 /1/0" {
		t.Errorf("default: writes %s", got)
	}
	if got := writePaths(t, BootstrapOptions{AccountInstance: 1}); got != "/0/1 /0/0 /1/0" {
		t.Errorf("account at /0/1: writes %s", got)
	}
	tg := Target{Endpoint: "ep", ServerURI: "coaps://127.0.0.1:5684", Mode: "psk", Usage: -1, PSKIdentity: "dev-1", PSKKey: []byte{1}}
	writes, _ := bootstrapWrites(tg, "coap://127.0.0.1:5783", BootstrapOptions{AccountInstance: 7})
	if b, _ := recordsOf(t, writes, "/0/7")["/0/7/1"].AsBool(); !b {
		t.Error("/0/7 is not written as the bootstrap account")
	}
	if u, _ := recordsOf(t, writes, "/0/0")["/0/0/0"].AsString(); u != "coaps://127.0.0.1:5684" {
		t.Errorf("case's server URI %q at /0/0", u)
	}
}

func TestBootstrapOptionsLoad(t *testing.T) {
	p := mustLoad(t, bootstrapProfile+"bootstrap: {account_instance: 3}\n")
	if p.Bootstrap.AccountInstance != 3 {
		t.Errorf("account instance %d", p.Bootstrap.AccountInstance)
	}
	for body, want := range map[string]string{
		"command: [x]\nbootstrap: {account_instance: 1}\n":           ":2: bootstrap: only for a profile provisioned through bootstrap (one whose templates name {{.BootstrapURI}})",
		bootstrapProfile + "bootstrap:\n  account_instance: 65535\n": `:8: bootstrap.account_instance: must be an integer from 0 to 65534, not "65535"`,
		bootstrapProfile + "bootstrap:\n  security_instance: 1\n":    ":8: bootstrap.security_instance: unknown field (known: account_instance)",
	} {
		path := writeProfile(t, body)
		if _, err := LoadProfile(path); err == nil || err.Error() != path+want {
			t.Errorf("error = %v\nwant %s", err, path+want)
		}
	}
}

// A client that keeps its bootstrap account at /0/1 through
// Bootstrap-Delete, end to end: a fake client (this test binary, re-run)
// refuses /0/1 as the case's server unless the profile says where its
// account is.
func TestBootstrapAdapterWithAccountAtAnotherInstance(t *testing.T) {
	profile := fmt.Sprintf(`command: [%q, "-test.run=^TestFakeBootstrapClient$"]
env:
  FAKE_BS_URI: "{{.BootstrapURI}}"
  FAKE_BS_EP: "{{.Endpoint}}"
  FAKE_BS_ACCOUNT: "1"
timeouts: {start: 5s}
`, os.Args[0])
	tg := Target{CaseID: "bs/account", Endpoint: "bs-account", Mode: "psk", Usage: -1,
		ServerURI: "coaps://127.0.0.1:5684", PSKIdentity: "dev-1", PSKKey: []byte{1, 2}, Dir: t.TempDir()}
	run := func(profile string) (string, error) {
		inst, err := NewBootstrap(mustLoad(t, profile)).Start(context.Background(), tg)
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer inst.Stop()
		select {
		case <-inst.Done():
		case <-time.After(15 * time.Second):
			t.Fatalf("client did not end\n%s", inst.Output())
		}
		return inst.Output(), inst.Err()
	}
	out, err := run(profile)
	if err == nil || !strings.Contains(err.Error(), "Bootstrap-Write /0/1: client answered 4.00") {
		t.Errorf("account at /0/0 assumed: Err = %v, want the refused write\n%s", err, out)
	}
	out, err = run(profile + "bootstrap: {account_instance: 1}\n")
	if err != nil {
		t.Errorf("account_instance 1: Err = %v\n%s", err, out)
	}
	if !strings.Contains(out, "Bootstrap-Write /0/0 to bs-account: Changed") || !strings.Contains(out, "Bootstrap-Finish to bs-account: Changed") {
		t.Errorf("account_instance 1: the case's server is not at /0/0, or no finish\n%s", out)
	}
}

// TestFakeBootstrapClient is the client of the test above when run with
// FAKE_BS_URI set: it keeps its bootstrap account at /0/$FAKE_BS_ACCOUNT
// through Bootstrap-Delete, answers 4.00 to a write of another account
// over it, and 4.06 to Bootstrap-Finish unless it holds exactly one
// bootstrap account and one server.
func TestFakeBootstrapClient(t *testing.T) {
	uri := os.Getenv("FAKE_BS_URI")
	if uri == "" {
		t.Skip("the fake client of TestBootstrapAdapterWithAccountAtAnotherInstance")
	}
	account, _ := strconv.Atoi(os.Getenv("FAKE_BS_ACCOUNT"))
	c := &fakeBSClient{account: uint16(account), bootstrap: map[uint16]bool{uint16(account): true}, finished: make(chan struct{})}
	cc, err := udp.Dial(strings.TrimPrefix(uri, "coap://"), options.WithHandlerFunc(c.handle))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cc.Post(ctx, "/bs", message.TextPlain, strings.NewReader(""), message.Option{ID: message.URIQuery, Value: []byte("ep=" + os.Getenv("FAKE_BS_EP"))})
	if err != nil || resp.Code() != codes.Changed {
		t.Fatalf("Bootstrap-Request: %v", err)
	}
	select {
	case <-c.finished:
		time.Sleep(100 * time.Millisecond) // let the 2.04 leave
	case <-ctx.Done():
		t.Fatal("no Bootstrap-Finish")
	}
}

type fakeBSClient struct {
	account   uint16
	mu        sync.Mutex
	bootstrap map[uint16]bool // Security instance → is a bootstrap account
	finished  chan struct{}
}

func (c *fakeBSClient) handle(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	path, _ := r.Path()
	p, _ := lwm2m.ParsePath(path)
	switch {
	case r.Code() == codes.DELETE && (path == "" || path == "/"):
		c.bootstrap = map[uint16]bool{c.account: true}
		_ = w.SetResponse(codes.Deleted, 0, nil)
	case r.Code() == codes.PUT && p.Len() == 2 && p.Obj() == lwm2m.ObjSecurity:
		body, _ := r.ReadBody()
		recs, _ := lwm2m.Decode(message.AppLwm2mTLV, p, body, lwm2m.KindOf)
		isBS := false
		for _, rec := range recs {
			if rec.Path.Len() == 3 && rec.Path.Res() == lwm2m.SecBootstrapServer {
				isBS, _ = rec.Value.AsBool()
			}
		}
		if p.Inst() == c.account && !isBS {
			_ = w.SetResponse(codes.BadRequest, 0, nil)
			return
		}
		c.bootstrap[p.Inst()] = isBS
		_ = w.SetResponse(codes.Changed, 0, nil)
	case r.Code() == codes.POST && path == "/bs":
		accounts, servers := 0, 0
		for _, bs := range c.bootstrap {
			if bs {
				accounts++
			} else {
				servers++
			}
		}
		if accounts != 1 || servers != 1 {
			_ = w.SetResponse(codes.NotAcceptable, 0, nil)
			return
		}
		_ = w.SetResponse(codes.Changed, 0, nil)
		close(c.finished)
	default:
		_ = w.SetResponse(codes.Changed, 0, nil)
	}
}
