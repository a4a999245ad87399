package client

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// Client is the reference LwM2M client. Create it with New, start it with
// Run; Status may be called at any time from any goroutine.
type Client struct {
	opts     Options
	model    *model.Model
	log      *slog.Logger
	sessions *sessionCache
	state    *stateWriter // nil without StateFile
	hooks    *execHooks
	faults   faultSet
	est      *estMode // Security Mode 4

	mu       sync.Mutex
	running  bool
	status   Status
	warnSeen map[string]bool
}

// New checks the options, restores the state file when there is one, and
// checks every Security instance: a mode this client cannot speak (raw
// public key) is reported here, in one line.
func New(opts Options) (*Client, error) {
	if opts.Model == nil {
		return nil, errors.New("client: Options.Model is required")
	}
	opts.applyDefaults()
	faults, err := parseFaults(opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if opts.InsecureAcceptAnyServer {
		faults[FaultAcceptAny] = true
	}
	c := &Client{
		faults:   faults,
		opts:     opts,
		model:    opts.Model,
		log:      opts.Logger,
		sessions: newSessionCache(),
		warnSeen: map[string]bool{},
		status:   Status{Registered: map[uint16]string{}},
	}
	c.hooks = newExecHooks(c.model)
	if c.est, err = newESTMode(c); err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if opts.StateFile != "" {
		c.state = newStateWriter(opts.StateFile, c.model, c.sessions, c.log)
		restored, err := c.state.load()
		if err != nil {
			return nil, fmt.Errorf("client: state file %s: %w", opts.StateFile, err)
		}
		if restored {
			c.log.Info("restored data model and DTLS sessions from the state file", "file", opts.StateFile, "sessions", len(c.sessions.snapshot()))
		}
		c.sessions.changed = c.state.poke
	}
	for _, s := range c.model.Security() {
		if err := checkMode(s.Mode); err != nil {
			return nil, fmt.Errorf("client: security instance /0/%d: %w", s.Instance, err)
		}
	}
	return c, nil
}

// Status returns a snapshot; the maps and slices are copies.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Status{
		Registered:   make(map[uint16]string, len(c.status.Registered)),
		Warnings:     append([]string(nil), c.status.Warnings...),
		Bootstrapped: c.status.Bootstrapped,
	}
	for k, v := range c.status.Registered {
		s.Registered[k] = v
	}
	if c.status.LastHandshake != nil {
		h := *c.status.LastHandshake
		h.Offered = append([]uint16(nil), h.Offered...)
		h.CID = append([]byte(nil), h.CID...)
		s.LastHandshake = &h
	}
	return s
}

func (c *Client) setRegistered(ssid uint16, location string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if location == "" {
		delete(c.status.Registered, ssid)
		return
	}
	c.status.Registered[ssid] = location
}

func (c *Client) notifyRegistered(ssid uint16, location string) {
	if c.opts.OnRegistered != nil {
		c.opts.OnRegistered(ssid, location)
	}
}

func (c *Client) setBootstrapped() {
	c.mu.Lock()
	c.status.Bootstrapped = true
	c.mu.Unlock()
}

// warn logs a warning loudly and keeps it in Status (once per text).
func (c *Client) warn(msg string, args ...any) {
	c.log.Warn(msg, args...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.warnSeen[msg] {
		c.warnSeen[msg] = true
		c.status.Warnings = append(c.status.Warnings, msg)
	}
}

// reportHandshake logs one handshake attempt, records it in Status and
// hands it to OnHandshake.
func (c *Client) reportHandshake(info HandshakeInfo) {
	sni := info.SNI
	if sni == "" {
		sni = "(none)"
	}
	attrs := []any{
		"server", info.Server, "sni", sni,
		"offered", suiteNames(info.Offered),
		"duration", info.Duration.Round(1e6).String(),
	}
	if info.Err != nil {
		attrs = append(attrs, "error", info.Err.Error())
		if info.Rule != "" {
			attrs = append(attrs, "rule", info.Rule)
		}
		c.log.Warn("DTLS handshake failed", attrs...)
	} else {
		cid := "(none)"
		if len(info.CID) > 0 {
			cid = fmt.Sprintf("%x", info.CID)
		}
		attrs = append(attrs, "suite", info.CipherSuite, "cid", cid, "resumed", info.Resumed, "validated", info.Validated, "rule", info.Rule, "decision", info.Decision)
		c.log.Info("DTLS handshake done", attrs...)
		if !info.Validated {
			c.warn(unvalidatedWarning(info, c.faults.verifierFaults()), "server", info.Server)
		}
	}
	c.mu.Lock()
	h := info
	c.status.LastHandshake = &h
	c.mu.Unlock()
	if c.opts.OnHandshake != nil {
		c.opts.OnHandshake(info)
	}
}

// unvalidatedWarning is the loud line for a server accepted without
// validation (seed 001 §5.15.2.3: "make sure that this is not the result of
// missing certificate provisioning").
func unvalidatedWarning(info HandshakeInfo, faults string) string {
	switch {
	case faults != "":
		return fmt.Sprintf("SERVER ACCEPTED WITHOUT VALIDATION: %s: insecure mode, the verifier is deliberately broken (fault %s); its decision was: %s", info.Server, faults, info.Decision)
	case info.Rule == "resumed":
		return fmt.Sprintf("SERVER ACCEPTED WITHOUT VALIDATION: %s: resumed a session whose server certificate was never validated", info.Server)
	default:
		return fmt.Sprintf("SERVER ACCEPTED WITHOUT VALIDATION: %s: %s", info.Server, info.Decision)
	}
}
