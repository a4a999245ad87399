package servers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Registration is what the server knows about a registered client.
type Registration struct {
	Endpoint string
	Location string // e.g. "/rd/5f3a9c01", the path the client updates
	Lifetime string // seconds, as sent ("86400" when absent)
	Version  string // LwM2M version from the lwm2m parameter ("1.0" when absent)
	Binding  string // "U" when absent
	Links    []lwm2m.Link
	Remote   string // client address of the last Register/Update
	Session  string // DTLS session the last Register/Update came on ("" for NoSec)

	Registered time.Time
	Updated    time.Time
}

// registration is a Registration with the connection to reach the client.
type registration struct {
	Registration
	conn *udpClient.Conn
}

// registry holds registrations by endpoint and by location id and lets
// callers wait for a change without polling.
type registry struct {
	mu      sync.Mutex
	byEP    map[string]*registration
	byID    map[string]*registration
	changed chan struct{}
}

func newRegistry() *registry {
	return &registry{byEP: map[string]*registration{}, byID: map[string]*registration{}, changed: make(chan struct{})}
}

// notifyLocked wakes waiters; r.mu must be held.
func (r *registry) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// add stores a new registration, replacing an older one of the same endpoint,
// and returns it with its location set.
func (r *registry) add(reg Registration, cc *udpClient.Conn) (Registration, error) {
	id, err := newLocationID()
	if err != nil {
		return Registration{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.byEP[reg.Endpoint]; old != nil {
		delete(r.byID, locationID(old.Location))
	}
	reg.Location = "/rd/" + id
	e := &registration{Registration: reg, conn: cc}
	r.byEP[reg.Endpoint] = e
	r.byID[id] = e
	r.notifyLocked()
	return e.Registration, nil
}

// update applies fn to the registration at location id.
func (r *registry) update(id string, cc *udpClient.Conn, fn func(*Registration)) (Registration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.byID[id]
	if e == nil {
		return Registration{}, false
	}
	fn(&e.Registration)
	e.conn = cc
	r.notifyLocked()
	return e.Registration, true
}

// remove deletes the registration at location id.
func (r *registry) remove(id string) (Registration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.byID[id]
	if e == nil {
		return Registration{}, false
	}
	delete(r.byID, id)
	delete(r.byEP, e.Endpoint)
	r.notifyLocked()
	return e.Registration, true
}

func (r *registry) get(ep string) (Registration, *udpClient.Conn, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.byEP[ep]
	if e == nil {
		return Registration{}, nil, false
	}
	return e.Registration, e.conn, true
}

// wait returns the registration of ep as soon as there is one.
func (r *registry) wait(ctx context.Context, ep string) (Registration, error) {
	for {
		r.mu.Lock()
		e, changed := r.byEP[ep], r.changed
		var reg Registration
		if e != nil {
			reg = e.Registration
		}
		r.mu.Unlock()
		if e != nil {
			return reg, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Registration{}, fmt.Errorf("servers: waiting for %q to register: %w", ep, ctx.Err())
		}
	}
}

// newLocationID is a random id, so a client cannot guess or reuse locations
// across servers.
func newLocationID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("servers: location id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// locationID is the id part of "/rd/<id>".
func locationID(location string) string { return location[len("/rd/"):] }
