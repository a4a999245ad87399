package leshan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestClientPeerRegistersAndDeregisters(t *testing.T) {
	srv := sharedServer(t)
	ctx := testCtx(t, 2*time.Minute)
	stream, err := srv.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := record(stream)
	const ep = "leshan-client-peer"
	key := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	if err := srv.AddPSK(ctx, ep, ep, key); err != nil {
		t.Fatal(err)
	}
	c, err := StartClient(ctx, ClientOptions{Mode: ModeProcess, Endpoint: ep, ServerURI: srv.CoapsURI(""), PSKIdentity: ep, PSKKey: key, Lifetime: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	var reg Registration
	_ = json.Unmarshal(events.wait(t, ctx, EventRegistration, ep).Data, &reg)
	if reg.Lifetime != 30 || !reg.Secure {
		t.Errorf("Leshan client registration %+v", reg)
	}
	if err := c.WaitOutput(ctx, "client: registered with"); err != nil {
		t.Error(err)
	}
	pid := c.PID()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	events.wait(t, ctx, EventDeregistration, ep)
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); !os.IsNotExist(err) {
		t.Errorf("client JVM %d left behind", pid)
	}
}

func TestClientPeerRejectsBadFlags(t *testing.T) {
	requireJava(t)
	ctx := testCtx(t, time.Minute)
	bad := -1
	if _, err := StartClient(ctx, ClientOptions{Mode: ModeProcess, Endpoint: "x", ServerURI: "coap://127.0.0.1:1", CertUsage: &bad}); err == nil {
		t.Error("usage -1 accepted")
	}
	if _, err := StartClient(ctx, ClientOptions{Mode: ModeProcess, Endpoint: "x", ServerURI: "coap://127.0.0.1:1", CipherSuites: []string{"TLS_NOT_A_SUITE"}}); err == nil || !strings.Contains(err.Error(), "unknown cipher suite") {
		t.Errorf("unknown cipher suite: %v, want the peer's complaint", err)
	}
}

func TestBootstrapServerConfigRoundTrip(t *testing.T) {
	requireJava(t)
	ctx := testCtx(t, 2*time.Minute)
	bs, err := StartBootstrapServer(ctx, BootstrapServerOptions{Mode: ModeProcess})
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Stop()
	t.Logf("bootstrap server started in %s", bs.StartupTime())
	ssid := 101
	cfg := BootstrapConfig{
		ToDelete: []string{"/0", "/1"},
		Servers:  map[int]BootstrapServerAccount{0: {ShortID: ssid, Lifetime: 60, Binding: []string{"U"}}},
		Security: map[int]BootstrapSecurityObject{
			1: {URI: "coaps://127.0.0.1:5684", SecurityMode: "PSK", PublicKeyOrID: []byte("id"), SecretKey: []byte{1, 2}, ServerID: &ssid},
		},
	}
	if err := bs.SetConfig(ctx, "bs-ep", cfg); err != nil {
		t.Fatal(err)
	}
	all, err := bs.Configs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(all["bs-ep"]), `"shortId":101`) {
		t.Errorf("stored config %s", all["bs-ep"])
	}
	// A field Leshan does not know is refused with its reason.
	err = bs.SetConfig(ctx, "bs-bad", BootstrapConfig{Security: map[int]BootstrapSecurityObject{0: {URI: "coap://x", SecurityMode: "NOT_A_MODE"}}})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(he.Body, "NOT_A_MODE") {
		t.Errorf("bad security mode: %v, want HTTP 400 naming it", err)
	}
	if err := bs.AddPSK(ctx, "bs-ep", "bs-id", []byte{9}); err != nil {
		t.Fatal(err)
	}
}
