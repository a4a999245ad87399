package impair

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Rebind simulates a NAT whose mapping expired: SUT traffic reaches the
// server from a new source port (a new upstream socket), and the old socket
// is closed, so whatever the server still sends to the old port is lost.
// A Note event "nat_rebinding old=… new=…" marks the moment.
func (p *Proxy) Rebind() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errors.New("impair: Rebind on a closed proxy")
	}
	nu, err := net.DialUDP("udp", nil, p.cfg.Upstream)
	if err != nil {
		p.mu.Unlock()
		return fmt.Errorf("impair: rebinding: %w", err)
	}
	old := p.up
	p.up = nu
	p.upNote = joinNotes(p.upNote, "NAT rebinding: source port "+portOf(old)+" → "+portOf(nu))
	p.wg.Add(1)
	p.mu.Unlock()
	// The new socket is opened before the old one closes, so its port differs.
	_ = old.Close()
	go p.readServer(nu)
	o, n := old.LocalAddr().String(), nu.LocalAddr().String()
	p.note(fmt.Sprintf("nat_rebinding old=%s new=%s", o, n),
		map[string]string{"what": "nat_rebinding", "old": o, "new": n})
	return nil
}

func portOf(c *net.UDPConn) string {
	return strconv.Itoa(c.LocalAddr().(*net.UDPAddr).Port)
}
