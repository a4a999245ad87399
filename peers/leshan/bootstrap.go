package leshan

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"time"
)

// BootstrapServerOptions configure StartBootstrapServer; the fields mean
// what they mean in ServerOptions.
type BootstrapServerOptions struct {
	Mode         Mode
	CacheDir     string
	Dir          string
	CID          string
	Certificate  []*x509.Certificate
	PrivateKey   []byte
	TrustStore   []*x509.Certificate
	StartTimeout time.Duration
	Output       io.Writer
}

// BootstrapServer is a running Leshan bootstrap server peer.
type BootstrapServer struct {
	inst *instance
	api  *api
}

// StartBootstrapServer starts a bootstrap server and waits until its REST
// API answers.
func StartBootstrapServer(ctx context.Context, opts BootstrapServerOptions) (*BootstrapServer, error) {
	files, secret, err := x509Files(opts.Certificate, opts.PrivateKey, opts.TrustStore)
	if err != nil {
		return nil, err
	}
	cid, err := cidFlag(opts.CID)
	if err != nil {
		return nil, err
	}
	inst, err := launch(ctx, launchSpec{
		kind: KindBSServer, mode: opts.Mode, cacheDir: opts.CacheDir, dir: opts.Dir,
		files: files, secret: secret, readyPath: "/api/bootstrap", timeout: opts.StartTimeout, live: opts.Output,
		args: func(l layout) []string {
			args := []string{
				"-lh", l.host, "-lp", fmt.Sprint(l.coap),
				"-slh", l.host, "-slp", fmt.Sprint(l.coaps),
				"-wh", l.host, "-wp", fmt.Sprint(l.web),
				"-cid", cid,
			}
			return append(args, x509Args(l, files)...)
		},
	})
	if err != nil {
		return nil, err
	}
	return &BootstrapServer{inst: inst, api: newAPI(inst.host, inst.web)}, nil
}

// BootstrapConfig is what the bootstrap server writes to one client, in
// Leshan's BootstrapConfig JSON: instances keyed by instance id.
type BootstrapConfig struct {
	// ToDelete lists the paths deleted first (Leshan's demo uses /0 and /1).
	ToDelete []string                        `json:"toDelete,omitempty"`
	Servers  map[int]BootstrapServerAccount  `json:"servers,omitempty"`
	Security map[int]BootstrapSecurityObject `json:"security,omitempty"`
}

// BootstrapServerAccount is one Server object instance (/1/x).
type BootstrapServerAccount struct {
	ShortID  int      `json:"shortId"`
	Lifetime int      `json:"lifetime"` // seconds
	Binding  []string `json:"binding,omitempty"`
}

// BootstrapSecurityObject is one Security object instance (/0/x).
type BootstrapSecurityObject struct {
	URI             string `json:"uri"`
	BootstrapServer bool   `json:"bootstrapServer"`
	// SecurityMode is NO_SEC, PSK, RPK or X509.
	SecurityMode    string `json:"securityMode"`
	PublicKeyOrID   []byte `json:"publicKeyOrId,omitempty"`
	ServerPublicKey []byte `json:"serverPublicKey,omitempty"`
	SecretKey       []byte `json:"secretKey,omitempty"`
	ServerID        *int   `json:"serverId,omitempty"`
	// CertificateUsage is Leshan's enum name: CA_CONSTRAINT,
	// SERVICE_CERTIFICATE_CONSTRAINT, TRUST_ANCHOR_ASSERTION,
	// DOMAIN_ISSUER_CERTIFICATE.
	CertificateUsage string `json:"certificateUsage,omitempty"`
	SNI              string `json:"sni,omitempty"`
}

// SetConfig stores the bootstrap configuration for an endpoint (POST
// /api/bootstrap/{endpoint}); Leshan checks it and says why it refuses.
func (b *BootstrapServer) SetConfig(ctx context.Context, endpoint string, cfg BootstrapConfig) error {
	if endpoint == "" {
		return errors.New("leshan: SetConfig needs an endpoint")
	}
	_, err := b.api.call(ctx, http.MethodPost, "/api/bootstrap/"+url.PathEscape(endpoint), nil, cfg)
	return err
}

// Configs returns the stored configurations as Leshan shows them.
func (b *BootstrapServer) Configs(ctx context.Context) (map[string]json.RawMessage, error) {
	data, err := b.api.call(ctx, http.MethodGet, "/api/bootstrap", nil, nil)
	if err != nil {
		return nil, err
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("leshan: GET /api/bootstrap: %w", err)
	}
	return out, nil
}

// AddPSK adds the PSK a client uses towards the bootstrap server.
func (b *BootstrapServer) AddPSK(ctx context.Context, endpoint, identity string, key []byte) error {
	return b.api.addPSK(ctx, endpoint, identity, key)
}

// AddX509 accepts a client certificate naming the endpoint.
func (b *BootstrapServer) AddX509(ctx context.Context, endpoint string) error {
	return b.api.addX509(ctx, endpoint)
}

// CoapsURI is the bootstrap server's CoAP-over-DTLS URI with the given
// host name ("" = Host()).
func (b *BootstrapServer) CoapsURI(host string) string {
	if host == "" {
		host = b.inst.host
	}
	return "coaps://" + hostPort(host, b.inst.coaps)
}

// CoapURI is the bootstrap server's plain CoAP URI.
func (b *BootstrapServer) CoapURI(host string) string {
	if host == "" {
		host = b.inst.host
	}
	return "coap://" + hostPort(host, b.inst.coap)
}

// Host is the address the ports are reachable at from here.
func (b *BootstrapServer) Host() string { return b.inst.host }

// WebURL is the base URL of the REST API.
func (b *BootstrapServer) WebURL() string { return b.api.base }

// StartupTime is the time from start to the first REST answer.
func (b *BootstrapServer) StartupTime() time.Duration { return b.inst.startup }

// Output is the peer's output so far.
func (b *BootstrapServer) Output() string { return b.inst.out.String() }

// OutputFile is the file with the whole output.
func (b *BootstrapServer) OutputFile() string { return filepath.Join(b.inst.dir, "output.log") }

// PID is the JVM's process id (0 in a container).
func (b *BootstrapServer) PID() int { return b.inst.pid() }

// Events subscribes to the bootstrap server's event stream.
func (b *BootstrapServer) Events(ctx context.Context) (<-chan Event, error) { return b.api.events(ctx) }

// Stop ends the bootstrap server. Safe to call twice.
func (b *BootstrapServer) Stop() error { return b.inst.stop() }
