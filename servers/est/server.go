package est

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// The EST-coaps operations (RFC 9148 §4.1, Table 1: short names) and the
// two roots the server answers under.
const (
	opCrts      = "crts" // /cacerts
	opSen       = "sen"  // /simpleenroll
	opSren      = "sren" // /simplereenroll
	opDiscovery = "discovery"

	RootWellKnown = "/.well-known/est"
	RootShort     = "/est" // the root discovery announces
	corePath      = "/.well-known/core"
)

// DefaultValidity is the lifetime of an issued client certificate unless
// the case says otherwise.
const DefaultValidity = time.Hour

// Config configures the EST-coaps server of one case.
type Config struct {
	CA *CA
	// Validity of the client certificates issued by sen and sren; default
	// DefaultValidity.
	Validity time.Duration
	// Format answers crts, sen and sren when the client sends no Accept:
	// FormatPKCS7Certs (default, RFC 9148 §4.3's SHOULD) or FormatPKIXCert.
	Format message.MediaType
	// Formats overrides Format for one operation ("crts", "sen", "sren"),
	// so that a case can check each answer in each format.
	Formats map[string]message.MediaType
	// BlockSize is the largest block the server sends in a Block2 transfer
	// and accepts in Block1 (16…1024 bytes, a power of two); 0 = 1024.
	BlockSize int
	Fault     Fault
	Events    *events.Log
	Logger    *slog.Logger
	Now       func() time.Time
}

// Issuance is one answer to sen or sren, for the case evidence.
type Issuance struct {
	Op      string
	At      time.Time
	Session string
	CSR     []byte            // DER, as received; nil when it did not parse
	Cert    *x509.Certificate // nil when nothing was issued
	Fault   string            // the fault this answer carried, "" for a good one
	Code    string            // e.g. "2.04"
}

// Server is the EST-coaps server; it implements servers.Mount.
type Server struct {
	cfg  Config
	szx  blockSZX
	log  *slog.Logger
	mu   sync.Mutex
	st   state
	done map[string]bool // ops answered at least once (faults apply to the first)
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if cfg.CA == nil {
		return nil, errors.New("est: Config.CA is required")
	}
	if cfg.Validity == 0 {
		cfg.Validity = DefaultValidity
	}
	if cfg.Validity < time.Second || cfg.Validity%time.Second != 0 {
		return nil, fmt.Errorf("est: validity %s: want whole seconds, at least 1s", cfg.Validity)
	}
	switch cfg.Format {
	case 0:
		cfg.Format = FormatPKCS7Certs
	case FormatPKCS7Certs, FormatPKIXCert:
	default:
		return nil, fmt.Errorf("est: response format %d is not 281 or 287", cfg.Format)
	}
	for op, f := range cfg.Formats {
		if op != opCrts && op != opSen && op != opSren {
			return nil, fmt.Errorf("est: format for %q: the operations are crts, sen and sren", op)
		}
		if f != FormatPKCS7Certs && f != FormatPKIXCert {
			return nil, fmt.Errorf("est: %s format %d is not 281 or 287", op, f)
		}
	}
	szx, err := szxOf(cfg.BlockSize)
	if err != nil {
		return nil, err
	}
	if err := cfg.Fault.Validate(); err != nil {
		return nil, fmt.Errorf("est: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, szx: szx, log: cfg.Logger, st: newState(), done: map[string]bool{}}, nil
}

// CACert is the anchor /crts hands out.
func (s *Server) CACert() *x509.Certificate { return s.cfg.CA.Cert }

// Issued lists the answers to sen and sren so far.
func (s *Server) Issued() []Issuance {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Issuance(nil), s.st.issued...)
}

// Handles implements servers.Mount: requests for discovery and for any
// path under the two EST roots.
func (s *Server) Handles(r *pool.Message) bool {
	c := r.Code()
	if c == codes.Empty || c >= 32 { // responses and pings are the bootstrap server's
		return false
	}
	p, err := r.Path()
	if err != nil {
		return false
	}
	p = "/" + strings.TrimPrefix(p, "/")
	return p == corePath || underRoot(p) != ""
}

// underRoot returns the root p lies under, "" if none.
func underRoot(p string) string {
	for _, root := range []string{RootWellKnown, RootShort} {
		if p == root || strings.HasPrefix(p, root+"/") {
			return root
		}
	}
	return ""
}

// opOf names the operation of a path under a root: its last segment
// (an ArbitraryLabel segment may come before it, RFC 9148 §4.1).
func opOf(p string) string {
	root := underRoot(p)
	rest := strings.Trim(strings.TrimPrefix(p, root), "/")
	seg := strings.Split(rest, "/")
	if rest == "" || len(seg) > 2 {
		return ""
	}
	return seg[len(seg)-1]
}

// formatFor is what the server answers op in when the client sends no
// Accept.
func (s *Server) formatFor(op string) message.MediaType {
	if f, ok := s.cfg.Formats[op]; ok {
		return f
	}
	return s.cfg.Format
}

// firstAnswer reports whether this is the first answer to op (and marks
// it answered): faults apply to it.
func (s *Server) firstAnswer(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.done[op]
	s.done[op] = true
	return first
}

// faultFor is the fault this answer to op carries, "" for none.
func (s *Server) faultFor(op string) string {
	if s.cfg.Fault.Kind == "" || s.cfg.Fault.Op != op {
		return ""
	}
	if !s.firstAnswer("fault:" + op) {
		return ""
	}
	return s.cfg.Fault.Kind
}
