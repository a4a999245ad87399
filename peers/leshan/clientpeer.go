package leshan

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// ClientOptions configure StartClient, the Leshan client demo's flags.
type ClientOptions struct {
	Mode     Mode
	CacheDir string
	Dir      string
	Endpoint string // -n, required
	// ServerURI is -u; Bootstrap (-b) makes it a bootstrap server.
	ServerURI string
	Bootstrap bool
	Lifetime  time.Duration // -lt, whole seconds; 0 = the peer's 300 s
	// PSK (-i, -p).
	PSKIdentity string
	PSKKey      []byte
	// X.509 (-ccert, -cprik, -scert, -cu, -ts).
	Certificate       *x509.Certificate
	PrivateKey        []byte // PKCS#8 DER
	ServerCertificate *x509.Certificate
	CertUsage         *int
	TrustStore        []*x509.Certificate
	CID               string   // -cid: on, off (default) or a length
	CipherSuites      []string // -c: IANA names, e.g. TLS_PSK_WITH_AES_128_CCM_8
	Output            io.Writer
}

// Client is a running Leshan client peer.
type Client struct {
	inst *instance
}

// StartClient starts the client; it connects on its own. A client that
// rejects its flags fails here.
func StartClient(ctx context.Context, opts ClientOptions) (*Client, error) {
	if opts.Endpoint == "" {
		return nil, errors.New("leshan: StartClient needs an endpoint")
	}
	if opts.ServerURI == "" {
		return nil, errors.New("leshan: StartClient needs a server URI")
	}
	if opts.Lifetime%time.Second != 0 || opts.Lifetime < 0 {
		return nil, fmt.Errorf("leshan: lifetime %s is not whole seconds", opts.Lifetime)
	}
	if opts.CertUsage != nil && (*opts.CertUsage < 0 || *opts.CertUsage > 3) {
		return nil, fmt.Errorf("leshan: certificate usage %d is not 0..3", *opts.CertUsage)
	}
	cid := "off"
	if opts.CID != "" {
		var err error
		if cid, err = cidFlag(opts.CID); err != nil {
			return nil, err
		}
	}
	files, secret := map[string][]byte{}, map[string]bool{}
	if opts.Certificate != nil || len(opts.PrivateKey) > 0 {
		if opts.Certificate == nil || len(opts.PrivateKey) == 0 {
			return nil, errors.New("leshan: an X.509 client needs both the certificate and the private key")
		}
		if _, err := x509.ParsePKCS8PrivateKey(opts.PrivateKey); err != nil {
			return nil, fmt.Errorf("leshan: the private key is not PKCS#8 DER: %w", err)
		}
		files["client.crt.pem"] = pemCerts([]*x509.Certificate{opts.Certificate})
		files["client.key.pem"] = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: opts.PrivateKey})
		secret["client.key.pem"] = true
	}
	if opts.ServerCertificate != nil {
		files["server.crt.pem"] = pemCerts([]*x509.Certificate{opts.ServerCertificate})
	}
	if len(opts.TrustStore) > 0 {
		files["truststore.pem"] = pemCerts(opts.TrustStore)
	}
	inst, err := launch(ctx, launchSpec{
		kind: KindClient, mode: opts.Mode, cacheDir: opts.CacheDir, dir: opts.Dir,
		files: files, secret: secret, live: opts.Output,
		args: func(l layout) []string {
			args := []string{"-n", opts.Endpoint, "-u", opts.ServerURI, "-cid", cid}
			if opts.Bootstrap {
				args = append(args, "-b")
			}
			if opts.Lifetime > 0 {
				args = append(args, "-lt", fmt.Sprint(int64(opts.Lifetime/time.Second)))
			}
			if opts.PSKIdentity != "" || len(opts.PSKKey) > 0 {
				args = append(args, "-i", opts.PSKIdentity, "-p", hex.EncodeToString(opts.PSKKey))
			}
			if _, ok := files["client.crt.pem"]; ok {
				args = append(args, "-ccert", l.file("client.crt.pem"), "-cprik", l.file("client.key.pem"))
			}
			if _, ok := files["server.crt.pem"]; ok {
				args = append(args, "-scert", l.file("server.crt.pem"))
			}
			if opts.CertUsage != nil {
				args = append(args, "-cu", fmt.Sprint(*opts.CertUsage))
			}
			if _, ok := files["truststore.pem"]; ok {
				args = append(args, "-ts", l.file("truststore.pem"))
			}
			if len(opts.CipherSuites) > 0 {
				args = append(args, "-c", strings.Join(opts.CipherSuites, ","))
			}
			return args
		},
	})
	if err != nil {
		return nil, err
	}
	return &Client{inst: inst}, nil
}

// Output is the client's output so far.
func (c *Client) Output() string { return c.inst.out.String() }

// OutputFile is the file with the whole output.
func (c *Client) OutputFile() string { return filepath.Join(c.inst.dir, "output.log") }

// PID is the JVM's process id (0 in a container).
func (c *Client) PID() int { return c.inst.pid() }

// Exited is non-nil once the client ended by itself.
func (c *Client) Exited() error { return c.inst.exited() }

// Stop ends the client (it de-registers on SIGTERM). Safe to call twice.
func (c *Client) Stop() error { return c.inst.stop() }

// WaitOutput waits until the client's output contains s, for following
// its lifecycle lines ("client: registered with ...").
func (c *Client) WaitOutput(ctx context.Context, s string) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if strings.Contains(c.inst.out.String(), s) {
			return nil
		}
		if err := c.inst.exited(); err != nil {
			return fmt.Errorf("leshan: the client exited (%v) before printing %q", err, s)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("leshan: the client did not print %q: %w", s, ctx.Err())
		case <-t.C:
		}
	}
}
