package impair

import (
	"errors"
	"fmt"
	"math"
	"net"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// DefaultListen is where the proxy listens unless told otherwise.
const DefaultListen = "127.0.0.1:0"

// Dir is a direction on the path.
type Dir int

const (
	Up   Dir = iota // SUT → server
	Down            // server → SUT
)

func (d Dir) String() string {
	switch d {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return fmt.Sprintf("Dir(%d)", int(d))
}

// Flight selects one transmission of a DTLS handshake flight by the type of
// its first handshake message. Occurrence counts transmissions in that
// direction, retransmissions included: {Down, 2, 1} drops the first
// transmission of the first server flight, {Down, 2, 2} its next one.
type Flight struct {
	Dir        Dir
	Handshake  uint8 // dtlswire.Handshake* type of the flight's first message
	Occurrence int   // 1-based
}

// Config is what the proxy does to the path. The zero value of every
// impairment means "off".
type Config struct {
	Upstream *net.UDPAddr // the harness server
	Listen   string       // default DefaultListen

	Loss       float64  // 0..1 random loss, each direction independently
	DropUp     []int    // 1-based indexes of SUT→server datagrams to drop
	DropDown   []int    // 1-based indexes of server→SUT datagrams to drop
	DropFlight []Flight // whole flight transmissions to drop, each rule once

	// Delay is added to every datagram; Jitter spreads it uniformly over
	// Delay±Jitter (never below zero). Delivery order is kept: only Reorder
	// reorders.
	Delay, Jitter time.Duration
	Duplicate     float64 // 0..1 probability a datagram is sent twice
	Reorder       float64 // 0..1 probability a datagram is held back and sent after the next one
	// MTU drops datagrams whose UDP payload is larger than MTU bytes, with
	// a Note event; 0 = no limit.
	MTU int

	// Seed seeds the random impairments; 0 picks a time-based seed. The
	// seed in use is always recorded in a Note event.
	Seed int64

	Events *events.Log // Record and Note events; may be nil
	// CIDLen is the length of the server-chosen connection IDs that SUT
	// records carry; 0 learns it from the ServerHello (preferred). The
	// length for server→SUT records is always learnt from the ClientHello.
	CIDLen int
	// PcapngPath is where the capture goes; "" = no capture.
	PcapngPath string
	// Verbose adds a Note event explaining each impaired datagram.
	Verbose bool
}

// validate reports configuration mistakes before any socket is opened.
func (c *Config) validate() error {
	if c.Upstream == nil {
		return errors.New("impair: Config.Upstream is nil")
	}
	if c.Upstream.Port == 0 {
		return fmt.Errorf("impair: upstream %s has no port", c.Upstream)
	}
	for name, p := range map[string]float64{"Loss": c.Loss, "Duplicate": c.Duplicate, "Reorder": c.Reorder} {
		if math.IsNaN(p) || p < 0 || p > 1 {
			return fmt.Errorf("impair: %s %v is not a probability in 0..1", name, p)
		}
	}
	for name, list := range map[string][]int{"DropUp": c.DropUp, "DropDown": c.DropDown} {
		for _, n := range list {
			if n < 1 {
				return fmt.Errorf("impair: %s index %d; datagrams are numbered from 1", name, n)
			}
		}
	}
	for i, f := range c.DropFlight {
		if f.Dir != Up && f.Dir != Down {
			return fmt.Errorf("impair: DropFlight[%d] has direction %d, want Up or Down", i, int(f.Dir))
		}
		if f.Occurrence < 1 {
			return fmt.Errorf("impair: DropFlight[%d] occurrence %d; occurrences are numbered from 1", i, f.Occurrence)
		}
		if !startsFlight(f.Dir, f.Handshake) {
			return fmt.Errorf("impair: DropFlight[%d]: handshake type %d never starts a %s flight", i, f.Handshake, f.Dir)
		}
	}
	if c.Delay < 0 || c.Jitter < 0 {
		return fmt.Errorf("impair: negative Delay %v or Jitter %v", c.Delay, c.Jitter)
	}
	if c.MTU < 0 {
		return fmt.Errorf("impair: negative MTU %d", c.MTU)
	}
	if c.CIDLen < 0 || c.CIDLen > 255 {
		return fmt.Errorf("impair: CIDLen %d out of range 0..255", c.CIDLen)
	}
	return nil
}

func (c *Config) listen() string {
	if c.Listen == "" {
		return DefaultListen
	}
	return c.Listen
}
