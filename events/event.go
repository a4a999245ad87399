// Package events is the timeline a harness peer records for one case:
// what the SUT offered on the wire and what it did at the LwM2M layer.
// Verdicts are derived from these events, and reports show them.
package events

import (
	"sync"
	"time"
)

// Kind names an event type.
type Kind string

const (
	ClientHello   Kind = "client_hello"   // a ClientHello was decoded from the records
	AlertReceived Kind = "alert_received" // the SUT sent an alert record
	AlertSent     Kind = "alert_sent"     // the harness peer sent an alert
	HandshakeDone Kind = "handshake_done" // the DTLS handshake finished
	HandshakeFail Kind = "handshake_fail" // the harness side of the handshake failed
	Record        Kind = "record"         // a DTLS record header, dir "up" (from the SUT) or "down"
	Register      Kind = "register"
	Update        Kind = "update"
	Deregister    Kind = "deregister"
	BootstrapReq  Kind = "bootstrap_request"
	BootstrapDone Kind = "bootstrap_finish"
	Request       Kind = "request" // any other CoAP request the peer received
	Note          Kind = "note"    // free text from the harness
)

// Event is one timestamped observation.
type Event struct {
	Time    time.Time         `json:"time"`
	Kind    Kind              `json:"kind"`
	Summary string            `json:"summary"`
	Fields  map[string]string `json:"fields,omitempty"`
	Hello   *Hello            `json:"hello,omitempty"`
	Alert   *Alert            `json:"alert,omitempty"`
}

// Hello is the decoded ClientHello.
type Hello struct {
	Version         string   `json:"version"`
	SNI             string   `json:"sni,omitempty"`
	HasSNI          bool     `json:"has_sni"`
	CipherSuites    []uint16 `json:"cipher_suites"`
	Extensions      []uint16 `json:"extensions"`
	SessionID       []byte   `json:"session_id,omitempty"`
	CookieLen       int      `json:"cookie_len"`
	ConnectionID    bool     `json:"connection_id"` // the connection_id extension is present
	SupportedGroups []uint16 `json:"supported_groups,omitempty"`
}

// Alert is a decoded alert record.
type Alert struct {
	Level       uint8  `json:"level"`
	Description uint8  `json:"description"`
	Name        string `json:"name"` // e.g. "bad_certificate"
}

// Log collects events safely from many goroutines and lets a waiter react
// to the first event of interest without polling.
type Log struct {
	mu     sync.Mutex
	events []Event
	notify chan struct{}
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{notify: make(chan struct{})} }

// Add appends e, stamping the time if unset, and wakes waiters.
func (l *Log) Add(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	l.mu.Lock()
	l.events = append(l.events, e)
	close(l.notify)
	l.notify = make(chan struct{})
	l.mu.Unlock()
}

// Events returns a copy of the events so far.
func (l *Log) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

// Since returns a copy of the events from index n on: a follower of a
// long log keeps its place instead of copying it all at each change.
func (l *Log) Since(n int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n >= len(l.events) {
		return nil
	}
	return append([]Event(nil), l.events[n:]...)
}

// Changed returns a channel closed at the next Add.
func (l *Log) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.notify
}

// First returns the first event of kind k, if any.
func (l *Log) First(k Kind) (Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if e.Kind == k {
			return e, true
		}
	}
	return Event{}, false
}
