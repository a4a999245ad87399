package client

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

const estEndpoint = "urn:dev:mode4"

// estHarness is what a Security Mode 4 client meets: the harness bootstrap
// server in certificate mode with the EST server on its endpoint, which
// writes a mode 4 account for the harness LwM2M server; that server's
// certificate chains to the EST CA only, and it asks for the client's.
type estHarness struct {
	pki    testPKI // the bootstrap PKI: the bootstrap server's and the device's certificates
	ca     *serverest.CA
	est    *serverest.Server
	bsLog  *events.Log
	lwLog  *events.Log
	bsURI  string
	lwAddr string
}

// startESTHarness starts both servers; foreign gives the LwM2M server a
// certificate from another CA than the EST one.
func startESTHarness(t *testing.T, cfg serverest.Config, foreign bool) *estHarness {
	t.Helper()
	h := &estHarness{pki: newTestPKI(t), bsLog: events.NewLog(), lwLog: events.NewLog()}
	var err error
	if h.ca, err = serverest.NewCA("case EST CA", nil); err != nil {
		t.Fatal(err)
	}
	cfg.CA, cfg.Events = h.ca, h.bsLog
	if h.est, err = serverest.New(cfg); err != nil {
		t.Fatal(err)
	}
	lwCert, err := h.ca.IssueServer("localhost")
	if foreign {
		lwCert = h.pki.server.tls() // chains to the bootstrap PKI, which /crts does not name
	}
	if err != nil {
		t.Fatal(err)
	}
	lw, err := servers.StartLwM2M(t.Context(), servers.Config{Events: h.lwLog,
		DTLS: &servers.DTLS{Certificate: &lwCert, RequireClientCert: true, FlightInterval: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lw.Close() })
	h.lwAddr = fmt.Sprintf("localhost:%d", lw.Addr().Port)
	bsCert := h.pki.server.tls()
	bs, err := servers.StartBootstrap(t.Context(), servers.BootstrapConfig{
		Config:    servers.Config{Events: h.bsLog, DTLS: &servers.DTLS{Certificate: &bsCert, RequireClientCert: true, FlightInterval: 100 * time.Millisecond}},
		Provision: func(string) ([]servers.BootstrapWrite, error) { return mode4Account("coaps://" + h.lwAddr), nil },
		DeleteAll: true,
		Mount:     h.est,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bs.Close() })
	h.bsURI = fmt.Sprintf("coaps://localhost:%d", bs.Addr().Port)
	return h
}

// mode4Account is the LwM2M server account a bootstrap server writes for
// Security Mode 4: no client certificate or key, no Server Public Key.
func mode4Account(uri string) []servers.BootstrapWrite {
	sec := func(r uint16) lwm2m.Path { return lwm2m.NewPath(0, 1, r) }
	srv := func(r uint16) lwm2m.Path { return lwm2m.NewPath(1, 0, r) }
	return []servers.BootstrapWrite{
		{Path: lwm2m.NewPath(0, 1), Records: []lwm2m.Record{
			{Path: sec(lwm2m.SecServerURI), Value: lwm2m.String(uri)},
			{Path: sec(lwm2m.SecBootstrapServer), Value: lwm2m.Bool(false)},
			{Path: sec(lwm2m.SecSecurityMode), Value: lwm2m.Int(4)},
			{Path: sec(lwm2m.SecPublicKeyOrID), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecServerPublicKey), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecSecretKey), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecShortServerID), Value: lwm2m.Int(101)},
		}},
		{Path: lwm2m.NewPath(1, 0), Records: []lwm2m.Record{
			{Path: srv(lwm2m.SrvShortServerID), Value: lwm2m.Int(101)},
			{Path: srv(lwm2m.SrvLifetime), Value: lwm2m.Int(300)},
			{Path: srv(lwm2m.SrvNotifStoring), Value: lwm2m.Bool(false)},
			{Path: srv(lwm2m.SrvBinding), Value: lwm2m.String("U")},
		}},
	}
}

// bootstrapModel is a device that knows only its bootstrap account
// (certificate mode, the bootstrap server's certificate as Server Public
// Key, DANE-EE by default).
func (h *estHarness) bootstrapModel(t *testing.T) *model.Model {
	t.Helper()
	m := model.New(estEndpoint, "1.1")
	if err := m.PutSecurity(model.Security{URI: h.bsURI, Bootstrap: true, Mode: modeCert,
		PublicKeyOrIdentity: h.pki.client.cert.Raw, SecretKey: h.pki.client.pkcs8(t),
		ServerPublicKey: h.pki.server.cert.Raw}); err != nil {
		t.Fatal(err)
	}
	return m
}

func (h *estHarness) options(t *testing.T, state string) Options {
	o := Options{Model: h.bootstrapModel(t), RetryBase: 50 * time.Millisecond, RetryMax: time.Second,
		FlightInterval: 100 * time.Millisecond, RequestTimeout: 3 * time.Second, AckTimeout: 300 * time.Millisecond}
	if state != "" {
		o.StateFile = filepath.Join(state, "state.json")
	}
	return o
}

// estExchanges are the EST events of operation op (every op when "").
func (h *estHarness) estExchanges(op string) []events.Event {
	var out []events.Event
	for _, e := range h.bsLog.Events() {
		if e.Kind == events.Request && e.Fields["what"] == "est" && (op == "" || e.Fields["op"] == op) {
			out = append(out, e)
		}
	}
	return out
}

// registeredWith waits for a Register at the LwM2M server and returns the
// subject the client presented on that session.
func (h *estHarness) registeredWith(t *testing.T, within time.Duration) events.Event {
	t.Helper()
	var hd events.Event
	waitFor(t, within, "a Register at the LwM2M server", func() bool {
		reg, ok := h.lwLog.First(events.Register)
		if !ok {
			return false
		}
		for _, e := range h.lwLog.Events() {
			if e.Kind == events.HandshakeDone && e.Fields["session"] == reg.Fields["session"] {
				hd = e
			}
		}
		return true
	})
	return hd
}

func (h *estHarness) timeline() string {
	var b strings.Builder
	for _, l := range []*events.Log{h.bsLog, h.lwLog} {
		for _, e := range l.Events() {
			if e.Kind != events.Record {
				fmt.Fprintf(&b, "%s %s %s\n", e.Time.Format("15:04:05.000"), e.Kind, e.Summary)
			}
		}
		b.WriteString("--\n")
	}
	return b.String()
}
