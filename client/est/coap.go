package est

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Roots of the EST resources (RFC 9148 §4.1).
const RootWellKnown = "/.well-known/est"

// defaultMaxAge is Max-Age when a 5.03 carries none (RFC 7252 §5.10.5).
const defaultMaxAge = 60 * time.Second

// Conn is the CoAP connection EST requests go over; a go-coap client
// connection does Block2 (RFC 9148 §4.6: clients MUST) and Block1.
type Conn interface {
	Get(ctx context.Context, path string, opts ...message.Option) (*pool.Message, error)
	Post(ctx context.Context, path string, contentFormat message.MediaType, payload io.ReadSeeker, opts ...message.Option) (*pool.Message, error)
	ReleaseMessage(m *pool.Message)
}

// Client makes EST-coaps requests on one connection.
type Client struct {
	Conn Conn
	// Root holds the resources: RootWellKnown unless discovery named
	// another.
	Root string
}

// RetryLaterError is a 5.03 Service Unavailable: the server asks to try
// again after Max-Age (RFC 9148 §4.7), with the identical CSR.
type RetryLaterError struct {
	Op    string
	After time.Duration
}

func (e *RetryLaterError) Error() string {
	return fmt.Sprintf("/%s answered 5.03 Service Unavailable: retry after Max-Age %s", e.Op, e.After)
}

// StatusError is any other unexpected answer.
type StatusError struct {
	Op         string
	Code       codes.Code
	Diagnostic string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("/%s answered %s", e.Op, e.Code)
	if e.Diagnostic != "" {
		s += ": " + e.Diagnostic
	}
	return s
}

func (c *Client) root() string {
	if c.Root == "" {
		return RootWellKnown
	}
	return c.Root
}

// Discover asks for the EST resources (GET /.well-known/core?rt=ace.est*)
// and sets Root from the link whose rt is ace.est.crts.
func (c *Client) Discover(ctx context.Context) error {
	resp, err := c.Conn.Get(ctx, "/.well-known/core", message.Option{ID: message.URIQuery, Value: []byte("rt=ace.est*")})
	if err != nil {
		return fmt.Errorf("EST discovery: %w", err)
	}
	defer c.Conn.ReleaseMessage(resp)
	body, err := readBody(resp)
	if err != nil {
		return err
	}
	if resp.Code() != codes.Content {
		return &StatusError{Op: "discovery", Code: resp.Code(), Diagnostic: diagnostic(body)}
	}
	links, err := lwm2m.ParseLinks(string(body))
	if err != nil {
		return fmt.Errorf("EST discovery answer: %w", err)
	}
	for _, l := range links {
		if rt, _ := l.Param("rt"); rt == "ace.est.crts" && strings.HasSuffix(l.Target, "/crts") {
			c.Root = strings.TrimSuffix(l.Target, "/crts")
			return nil
		}
	}
	return fmt.Errorf("EST discovery answer lists no ace.est.crts resource: %q", body)
}

// CACerts is GET /crts: the certificates of the answer, in either format.
func (c *Client) CACerts(ctx context.Context) ([]*x509.Certificate, error) {
	resp, err := c.Conn.Get(ctx, c.root()+"/crts")
	if err != nil {
		return nil, fmt.Errorf("/crts: %w", err)
	}
	defer c.Conn.ReleaseMessage(resp)
	return certsOf("crts", resp, codes.Content)
}

// Enroll is POST /sen with a DER CSR (Content-Format 286).
func (c *Client) Enroll(ctx context.Context, csr []byte) ([]*x509.Certificate, error) {
	return c.post(ctx, "sen", csr)
}

// Reenroll is POST /sren with a DER CSR.
func (c *Client) Reenroll(ctx context.Context, csr []byte) ([]*x509.Certificate, error) {
	return c.post(ctx, "sren", csr)
}

func (c *Client) post(ctx context.Context, op string, csr []byte) ([]*x509.Certificate, error) {
	resp, err := c.Conn.Post(ctx, c.root()+"/"+op, FormatPKCS10, bytes.NewReader(csr))
	if err != nil {
		return nil, fmt.Errorf("/%s: %w", op, err)
	}
	defer c.Conn.ReleaseMessage(resp)
	return certsOf(op, resp, codes.Changed)
}

// certsOf reads a certificate answer, or the error it stands for.
func certsOf(op string, resp *pool.Message, want codes.Code) ([]*x509.Certificate, error) {
	body, err := readBody(resp)
	if err != nil {
		return nil, fmt.Errorf("/%s: %w", op, err)
	}
	switch resp.Code() {
	case want:
	case codes.ServiceUnavailable:
		after := defaultMaxAge
		if ma, err := resp.GetOptionUint32(message.MaxAge); err == nil {
			after = time.Duration(ma) * time.Second
		}
		return nil, &RetryLaterError{Op: op, After: after}
	default:
		return nil, &StatusError{Op: op, Code: resp.Code(), Diagnostic: diagnostic(body)}
	}
	cf, err := resp.ContentFormat()
	if err != nil {
		return nil, fmt.Errorf("/%s answered %s without a Content-Format", op, resp.Code())
	}
	certs, err := ParseCertsResponse(cf, body)
	if err != nil {
		return nil, fmt.Errorf("/%s: %w", op, err)
	}
	return certs, nil
}

func readBody(m *pool.Message) ([]byte, error) {
	if m.Body() == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(m.Body(), maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	return b, nil
}

// diagnostic is the start of an error answer's payload (RFC 7252 §5.5.2).
func diagnostic(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.Join(strings.Fields(string(b)), " ")
}
