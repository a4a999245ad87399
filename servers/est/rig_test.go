package est

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"testing"
	"time"

	piondtls "github.com/pion/dtls/v2"
	coapdtls "github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// rig is a harness bootstrap server over DTLS (certificate and PSK) with
// the EST server mounted, and a client identity from another CA, as a
// device's bootstrap certificate would be.
type rig struct {
	bs     *servers.Bootstrap
	est    *Server
	log    *events.Log
	ca     *CA             // the case CA the EST server issues from
	device tls.Certificate // the client's bootstrap certificate
}

const rigEndpoint = "urn:dev:est-test"

func startRig(t *testing.T, cfg Config) *rig { t.Helper(); return startRigWith(t, cfg, true) }

// startRigWith leaves the client certificate optional unless requireCert.
func startRigWith(t *testing.T, cfg Config, requireCert bool) *rig {
	t.Helper()
	ca, err := NewCA("lwm2m-conform case EST CA", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CA == nil {
		cfg.CA = ca
	}
	log := events.NewLog()
	cfg.Events = log
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	factory, err := NewCA("device factory CA", nil)
	if err != nil {
		t.Fatal(err)
	}
	serverCert, err := factory.IssueServer("localhost")
	if err != nil {
		t.Fatal(err)
	}
	devKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	devCSR, _ := x509.ParseCertificateRequest(newCSR(t, devKey, rigEndpoint))
	devCert, err := factory.IssueClient(devCSR, devKey.Public(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bs, err := servers.StartBootstrap(ctx, servers.BootstrapConfig{
		Config: servers.Config{Events: log, DTLS: &servers.DTLS{
			Certificate:       &serverCert,
			RequireClientCert: requireCert,
			FlightInterval:    100 * time.Millisecond,
		}},
		Provision: func(string) ([]servers.BootstrapWrite, error) { return nil, nil },
		Mount:     srv,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return &rig{bs: bs, est: srv, log: log, ca: cfg.CA,
		device: tls.Certificate{Certificate: [][]byte{devCert.Raw}, PrivateKey: devKey, Leaf: devCert}}
}

// dial connects with the device certificate, or without any client
// certificate when anonymous is set; opts adjust the go-coap client
// (block sizes).
func (r *rig) dial(t *testing.T, anonymous bool, opts ...udp.Option) *udpClient.Conn {
	t.Helper()
	cfg := &piondtls.Config{InsecureSkipVerify: true, ServerName: "localhost",
		ExtendedMasterSecret: piondtls.RequestExtendedMasterSecret}
	if !anonymous {
		cfg.Certificates = []tls.Certificate{r.device}
	}
	cc, err := coapdtls.Dial(r.bs.Addr().String(), cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// exchanges returns the EST events recorded so far.
func (r *rig) exchanges() []events.Event {
	var out []events.Event
	for _, e := range r.log.Events() {
		if e.Kind == events.Request && e.Fields["what"] == "est" {
			out = append(out, e)
		}
	}
	return out
}

func (r *rig) timeline() string {
	var b strings.Builder
	for _, e := range r.log.Events() {
		b.WriteString(string(e.Kind) + " " + e.Summary + "\n")
	}
	return b.String()
}

func newCSR(t testing.TB, key crypto.Signer, cn string) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: cn}, SignatureAlgorithm: x509.ECDSAWithSHA256}, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
