package est

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	piondtls "github.com/pion/dtls/v2"
	coapdtls "github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// estPeer is the harness bootstrap server with its EST server, over DTLS
// in certificate mode, and a connection from a device certificate.
type estPeer struct {
	est *serverest.Server
	ca  *serverest.CA
	log *events.Log
	cc  *udpClient.Conn
}

func startPeer(t *testing.T, cfg serverest.Config) *estPeer {
	t.Helper()
	p := &estPeer{ca: testCA(t), log: events.NewLog()}
	cfg.CA, cfg.Events = p.ca, p.log
	var err error
	if p.est, err = serverest.New(cfg); err != nil {
		t.Fatal(err)
	}
	factory := testCA(t)
	srvCert, err := factory.IssueServer("localhost")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bs, err := servers.StartBootstrap(ctx, servers.BootstrapConfig{
		Config:    servers.Config{Events: p.log, DTLS: &servers.DTLS{Certificate: &srvCert, RequireClientCert: true}},
		Provision: func(string) ([]servers.BootstrapWrite, error) { return nil, nil },
		Mount:     p.est,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	devKey := mustKey(t)
	dev := issue(t, factory, devKey, "urn:dev:client-est", time.Hour)
	p.cc, err = coapdtls.Dial(bs.Addr().String(), &piondtls.Config{
		InsecureSkipVerify: true, ServerName: "localhost",
		Certificates: []tls.Certificate{{Certificate: [][]byte{dev.Raw}, PrivateKey: devKey}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cc.Close() })
	return p
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// The whole first enrollment against the harness EST server, in both
// answer formats and with 64-byte Block2 blocks (RFC 9148 §4.6: clients
// MUST do Block2): discovery, crts, sen, and the checks before installing.
func TestEnrollAgainstTheHarnessServer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   serverest.Config
		block string
	}{
		{"281", serverest.Config{}, ""},
		{"287", serverest.Config{Format: serverest.FormatPKIXCert}, ""},
		{"281 in 64-byte blocks", serverest.Config{BlockSize: 64}, "/64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startPeer(t, tc.cfg)
			c := &Client{Conn: p.cc}
			if err := c.Discover(ctx(t)); err != nil || c.Root != "/est" {
				t.Fatalf("Discover: %q %v", c.Root, err)
			}
			certs, err := c.CACerts(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			anchors, err := Anchors(certs)
			if err != nil || !anchors[0].Equal(p.ca.Cert) {
				t.Fatalf("anchors: %v", err)
			}
			key := mustKey(t)
			csr, _ := CSR(key, "urn:dev:client-est")
			issued, err := c.Enroll(ctx(t), csr)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := CheckIssued(issued, key.Public(), anchors, time.Now())
			if err != nil || cert.Subject.CommonName != "urn:dev:client-est" {
				t.Fatalf("CheckIssued: %v", err)
			}
			var crts []string
			for _, e := range p.log.Events() {
				if e.Fields["op"] == "crts" {
					crts = append(crts, e.Fields["path"]+" "+e.Fields["resp_block2"])
				}
			}
			if len(crts) == 0 || !strings.HasPrefix(crts[0], "/est/crts ") || !strings.HasSuffix(crts[0], tc.block) {
				t.Fatalf("crts requests: %q (want the discovered root, blocks %q)", crts, tc.block)
			}
		})
	}
}

// RFC 9148 §4.7: a 5.03 with Max-Age is a RetryLaterError carrying it;
// other refusals are StatusErrors with the diagnostic.
func TestEnrollErrors(t *testing.T) {
	p := startPeer(t, serverest.Config{Fault: serverest.Fault{Kind: serverest.FaultRetryLater, Op: "sen", MaxAge: 3 * time.Second}})
	c := &Client{Conn: p.cc}
	csr, _ := CSR(mustKey(t), "ep")
	_, err := c.Enroll(ctx(t), csr)
	var rl *RetryLaterError
	if !errors.As(err, &rl) || rl.After != 3*time.Second || rl.Op != "sen" {
		t.Fatalf("5.03: %v", err)
	}
	_, err = c.Enroll(ctx(t), []byte("not a CSR"))
	var se *StatusError
	if !errors.As(err, &se) || se.Code != codes.BadRequest || !strings.Contains(se.Diagnostic, "CSR does not parse") {
		t.Fatalf("4.00: %v", err)
	}
}
