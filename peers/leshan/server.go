package leshan

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// ServerOptions configure StartServer. The zero value is a PSK-only server
// with Connection ID support, in ModeAuto.
type ServerOptions struct {
	Mode     Mode
	CacheDir string // Fetch's cache; "" = DefaultCacheDir
	// Dir is the working directory (the Californium3.server.properties
	// file, certificates, output.log); "" = a fresh temporary directory
	// removed at Stop.
	Dir string
	// CID is the demos' -cid: "on" (6-byte CIDs, the default), "off", or
	// a length "0".."255".
	CID string
	// X.509 identity: the certificate chain (leaf first) and its PKCS#8
	// private key; nil for a PSK-only server.
	Certificate []*x509.Certificate
	PrivateKey  []byte
	// TrustStore holds the CAs client certificates must chain to.
	TrustStore []*x509.Certificate
	// StartTimeout bounds the start-up (default 90 s).
	StartTimeout time.Duration
	// Output, when set, receives the peer's output as it comes.
	Output io.Writer
}

// Server is a running Leshan LwM2M server peer.
type Server struct {
	inst *instance
	api  *api
}

// StartServer starts a server and waits until its REST API answers.
func StartServer(ctx context.Context, opts ServerOptions) (*Server, error) {
	files, secret, err := x509Files(opts.Certificate, opts.PrivateKey, opts.TrustStore)
	if err != nil {
		return nil, err
	}
	cid, err := cidFlag(opts.CID)
	if err != nil {
		return nil, err
	}
	inst, err := launch(ctx, launchSpec{
		kind: KindServer, mode: opts.Mode, cacheDir: opts.CacheDir, dir: opts.Dir,
		files: files, secret: secret, readyPath: "/api/clients", timeout: opts.StartTimeout, live: opts.Output,
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
	return &Server{inst: inst, api: newAPI(inst.host, inst.web)}, nil
}

// x509Files turns an X.509 identity into the files the peers read: PEM
// chain, PKCS#8 PEM key (mode 0600) and a PEM trust store.
func x509Files(chain []*x509.Certificate, key []byte, trust []*x509.Certificate) (map[string][]byte, map[string]bool, error) {
	files, secret := map[string][]byte{}, map[string]bool{}
	if len(chain) == 0 && len(key) == 0 && len(trust) == 0 {
		return files, secret, nil
	}
	if len(chain) == 0 || len(key) == 0 {
		return nil, nil, errors.New("leshan: an X.509 identity needs both the certificate chain and the private key")
	}
	if _, err := x509.ParsePKCS8PrivateKey(key); err != nil {
		return nil, nil, fmt.Errorf("leshan: the private key is not PKCS#8 DER: %w", err)
	}
	files["identity.crt.pem"] = pemCerts(chain)
	files["identity.key.pem"] = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key})
	secret["identity.key.pem"] = true
	if len(trust) > 0 {
		files["truststore.pem"] = pemCerts(trust)
	}
	return files, secret, nil
}

func x509Args(l layout, files map[string][]byte) []string {
	var args []string
	if _, ok := files["identity.crt.pem"]; ok {
		args = append(args, "-xcert", l.file("identity.crt.pem"), "-xprik", l.file("identity.key.pem"))
	}
	if _, ok := files["truststore.pem"]; ok {
		args = append(args, "-ts", l.file("truststore.pem"))
	}
	return args
}

func pemCerts(certs []*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func cidFlag(v string) (string, error) {
	switch v {
	case "":
		return "on", nil
	case "on", "off":
		return v, nil
	}
	var n int
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n < 0 || n > 255 || fmt.Sprint(n) != v {
		return "", fmt.Errorf("leshan: CID %q: want on, off or a length 0..255", v)
	}
	return v, nil
}

// Host is the address the server's ports are reachable at from here.
func (s *Server) Host() string { return s.inst.host }

// CoapsURI is the server's CoAP-over-DTLS URI with the given host name
// ("" = Host()), e.g. coaps://127.0.0.1:40123.
func (s *Server) CoapsURI(host string) string {
	if host == "" {
		host = s.inst.host
	}
	return "coaps://" + hostPort(host, s.inst.coaps)
}

// CoapURI is the server's plain CoAP URI with the given host name.
func (s *Server) CoapURI(host string) string {
	if host == "" {
		host = s.inst.host
	}
	return "coap://" + hostPort(host, s.inst.coap)
}

// WebURL is the base URL of the REST API.
func (s *Server) WebURL() string { return s.api.base }

// StartupTime is the time from starting the JVM (or container) to the
// first answer of the REST API.
func (s *Server) StartupTime() time.Duration { return s.inst.startup }

// Output is the peer's output so far (the last MiB; OutputFile has all).
func (s *Server) Output() string { return s.inst.out.String() }

// OutputMark and OutputSince cut one test's output out of a shared
// server's: take a mark before, read what came after.
func (s *Server) OutputMark() int64 { return s.inst.out.Len() }

// OutputSince is the output written after mark.
func (s *Server) OutputSince(mark int64) string { return s.inst.out.Since(mark) }

// OutputFile is the file with the whole output (removed at Stop with a
// temporary working directory).
func (s *Server) OutputFile() string { return filepath.Join(s.inst.dir, "output.log") }

// Mode is the mode the server runs in.
func (s *Server) Mode() Mode { return s.inst.mode }

// PID is the JVM's process id (0 in a container).
func (s *Server) PID() int { return s.inst.pid() }

// Exited is non-nil once the server ended by itself.
func (s *Server) Exited() error { return s.inst.exited() }

// Events subscribes to the server's event stream; see Event.
func (s *Server) Events(ctx context.Context) (<-chan Event, error) { return s.api.events(ctx) }

// Stop ends the server (process group or container). Safe to call twice.
func (s *Server) Stop() error { return s.inst.stop() }

// AddPSK adds a PSK security entry: the client endpoint must connect with
// this identity and key.
func (s *Server) AddPSK(ctx context.Context, endpoint, identity string, key []byte) error {
	return s.api.addPSK(ctx, endpoint, identity, key)
}

// AddX509 adds an X.509 security entry: the client must present a
// certificate that chains to the trust store and names the endpoint.
func (s *Server) AddX509(ctx context.Context, endpoint string) error {
	return s.api.addX509(ctx, endpoint)
}

// RemoveSecurity deletes an endpoint's security entry.
func (s *Server) RemoveSecurity(ctx context.Context, endpoint string) error {
	return s.api.removeSecurity(ctx, endpoint)
}

// Security lists the security entries.
func (s *Server) Security(ctx context.Context) ([]SecurityEntry, error) { return s.api.security(ctx) }

// ErrNotRegistered is returned for an endpoint with no registration.
var ErrNotRegistered = errors.New("leshan: endpoint not registered")

// Clients lists the registrations (GET /api/clients).
func (s *Server) Clients(ctx context.Context) ([]Registration, error) {
	data, err := s.api.call(ctx, http.MethodGet, "/api/clients", nil, nil)
	if err != nil {
		return nil, err
	}
	var regs []Registration
	if err := json.Unmarshal(data, &regs); err != nil {
		return nil, fmt.Errorf("leshan: GET /api/clients: %w", err)
	}
	return regs, nil
}

// Client is one endpoint's registration, or ErrNotRegistered.
func (s *Server) Client(ctx context.Context, endpoint string) (Registration, error) {
	var r Registration
	data, err := s.api.call(ctx, http.MethodGet, "/api/clients/"+url.PathEscape(endpoint), nil, nil)
	var he *HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		return r, fmt.Errorf("%w: %s", ErrNotRegistered, endpoint)
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("leshan: GET /api/clients/%s: %w", endpoint, err)
	}
	return r, nil
}

// Request sends an LwM2M request to a registered client through the REST
// API (method GET = Read, PUT = Write, POST = Execute or, with a path
// ending in /observe, Observe) and returns Leshan's answer, successful or
// not. query may carry format (TLV, SENML_JSON, ...) and timeout (s).
func (s *Server) Request(ctx context.Context, method, endpoint, path string, query url.Values, body any) (*Response, error) {
	p, err := clientPath(endpoint, path)
	if err != nil {
		return nil, err
	}
	data, err := s.api.call(ctx, method, p, query, body)
	if err != nil {
		return nil, err
	}
	var r Response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("leshan: %s %s: %w (%s)", method, p, err, data)
	}
	return &r, nil
}

func clientPath(endpoint, path string) (string, error) {
	if endpoint == "" {
		return "", errors.New("leshan: no endpoint")
	}
	if !strings.HasPrefix(path, "/") || strings.Contains(path, "?") {
		return "", fmt.Errorf("leshan: %q is not an LwM2M path like /3/0", path)
	}
	return "/api/clients/" + url.PathEscape(endpoint) + path, nil
}

// requestOK sends a request and turns an unsuccessful answer into an
// error naming Leshan's status.
func (s *Server) requestOK(ctx context.Context, method, endpoint, path string, query url.Values, body any) (*Response, error) {
	r, err := s.Request(ctx, method, endpoint, path, query, body)
	if err != nil {
		return nil, err
	}
	if !r.Success {
		msg := r.Status
		if r.ErrorMessage != "" {
			msg += ": " + r.ErrorMessage
		}
		return r, fmt.Errorf("leshan: %s %s on %s: %s", method, path, endpoint, msg)
	}
	return r, nil
}

// Read has Leshan read path from the client (Leshan's default content
// format) and returns the node.
func (s *Server) Read(ctx context.Context, endpoint, path string) (json.RawMessage, error) {
	return s.ReadFormat(ctx, endpoint, path, "")
}

// ReadFormat reads with a given content format (TLV, SENML_JSON,
// SENML_CBOR, TEXT, ...; "" = Leshan's choice).
func (s *Server) ReadFormat(ctx context.Context, endpoint, path, format string) (json.RawMessage, error) {
	var q url.Values
	if format != "" {
		q = url.Values{"format": {format}}
	}
	r, err := s.requestOK(ctx, http.MethodGet, endpoint, path, q, nil)
	if err != nil {
		return nil, err
	}
	return r.Content, nil
}

// Write has Leshan write one resource (/o/i/r) of the client. The LwM2M
// type follows the Go type (int → integer, string, bool, float64,
// []byte → opaque, time.Time, time.Duration → integer seconds) or an
// explicit Value.
func (s *Server) Write(ctx context.Context, endpoint, path string, value any) error {
	node, err := singleResource(path, value)
	if err != nil {
		return err
	}
	_, err = s.requestOK(ctx, http.MethodPut, endpoint, path, nil, node)
	return err
}

// Execute has Leshan execute a resource (/o/i/r) with optional arguments.
func (s *Server) Execute(ctx context.Context, endpoint, path, args string) error {
	if strings.Count(strings.Trim(path, "/"), "/") != 2 {
		return fmt.Errorf("leshan: Execute %s: want a resource path /object/instance/resource", path)
	}
	var body any
	if args != "" {
		body = args
	}
	_, err := s.requestOK(ctx, http.MethodPost, endpoint, path, nil, body)
	return err
}

// Observe has Leshan observe path; notifications arrive as
// EventNotification.
func (s *Server) Observe(ctx context.Context, endpoint, path string) error {
	_, err := s.requestOK(ctx, http.MethodPost, endpoint, strings.TrimSuffix(path, "/")+"/observe", nil, nil)
	return err
}

// CancelObserve forgets the observations of path (passive cancel).
func (s *Server) CancelObserve(ctx context.Context, endpoint, path string) error {
	p, err := clientPath(endpoint, strings.TrimSuffix(path, "/")+"/observe")
	if err != nil {
		return err
	}
	_, err = s.api.call(ctx, http.MethodDelete, p, nil, nil)
	return err
}
