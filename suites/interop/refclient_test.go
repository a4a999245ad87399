package interop

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/client/provision"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// refClient is the reference client running in this process.
type refClient struct {
	c     *client.Client
	prov  *provision.Provisioned
	stop  func()
	logMu sync.Mutex
	log   bytes.Buffer
	hsMu  sync.Mutex
	hs    []client.HandshakeInfo
}

func (r *refClient) Write(p []byte) (int, error) {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	return r.log.Write(p)
}

// Log is the client's log so far.
func (r *refClient) Log() string {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	return r.log.String()
}

// Handshakes are the DTLS handshake attempts so far.
func (r *refClient) Handshakes() []client.HandshakeInfo {
	r.hsMu.Lock()
	defer r.hsMu.Unlock()
	return append([]client.HandshakeInfo(nil), r.hs...)
}

// registered reports whether the client holds a registration.
func (r *refClient) registered() bool { return len(r.c.Status().Registered) > 0 }

// pskSettings provisions PSK towards uri; the identity is endpoint+"-id".
func pskSettings(endpoint, uri string, key []byte) provision.Settings {
	s := provision.Defaults()
	s.Endpoint, s.Server, s.Lifetime = endpoint, uri, 60*time.Second
	s.PSKIdentity, s.PSKKey = endpoint+"-id", hex.EncodeToString(key)
	return s
}

// x509Settings provisions a client certificate towards uri with the given
// certificate usage and Server Public Key (/0/x/4).
func x509Settings(endpoint, uri string, clientCert, spk *certgen.Cert, usage string) provision.Settings {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	write := func(name string, data []byte, perm os.FileMode) string {
		p := filepath.Join(dir, name)
		Expect(os.WriteFile(p, data, perm)).To(Succeed())
		return p
	}
	s := provision.Defaults()
	s.Endpoint, s.Server, s.Lifetime = endpoint, uri, 60*time.Second
	s.Cert = write("client.crt.pem", clientCert.PEM(), 0o644)
	s.Key = write("client.key.pem", clientCert.KeyPEM(), 0o600)
	s.ServerCert = write("spk.crt.pem", spk.PEM(), 0o644)
	s.CertUsage = usage
	return s
}

// startRef provisions and runs the reference client until the spec ends.
func startRef(s provision.Settings, cid bool) *refClient {
	GinkgoHelper()
	p, err := provision.Build(s)
	Expect(err).NotTo(HaveOccurred())
	r := &refClient{prov: p}
	r.c, err = client.New(client.Options{
		Model:             p.Model,
		TrustStore:        p.TrustStore,
		Logger:            slog.New(slog.NewTextHandler(r, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ConnectionID:      cid,
		HandshakeTimeout:  s.HandshakeTimeout,
		DeregisterTimeout: 3 * time.Second,
		RetryBase:         500 * time.Millisecond,
		RetryMax:          2 * time.Second,
		OnHandshake: func(h client.HandshakeInfo) {
			r.hsMu.Lock()
			r.hs = append(r.hs, h)
			r.hsMu.Unlock()
		},
	})
	Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.c.Run(ctx); close(done) }()
	var once sync.Once
	r.stop = func() { once.Do(func() { cancel(); <-done }) }
	DeferCleanup(func() {
		r.stop()
		if CurrentSpecReport().Failed() {
			AddReportEntry("reference client log", r.Log())
		}
	})
	return r
}

// modelValue is a value of the reference client's own data model.
func (r *refClient) modelValue(path string) string {
	GinkgoHelper()
	p, err := lwm2m.ParsePath(path)
	Expect(err).NotTo(HaveOccurred())
	recs, err := r.prov.Model.Read(p)
	Expect(err).NotTo(HaveOccurred())
	Expect(recs).To(HaveLen(1))
	return recs[0].Value.String()
}
