package impair

import (
	"net"
	"strings"
	"time"
)

// The capture layout and why it has one leg only are in the package doc.

// captureIfaceName and captureIfaceDescription label the capture interface.
const captureIfaceName = "impairment-proxy"

func captureIfaceDescription(listen, upstream *net.UDPAddr) string {
	return "SUT (via proxy " + listen.String() + ", shown as the proxy's upstream socket) ⇄ server " + upstream.String()
}

// captureDropped writes a datagram the proxy dropped, at its arrival time.
// local is the upstream socket that would have sent it (Up) or that
// received it (Down). The caller holds p.mu.
func (p *Proxy) captureDropped(d Dir, at time.Time, local *net.UDPAddr, data []byte, reason string) {
	comment := "dropped by impairment (" + reason + ")"
	if d == Up {
		comment = joinNotes(p.takeUpNote(), comment)
	}
	p.capture(d, at, local, data, comment)
}

// captureSent writes a datagram just before the proxy sends it, so that
// the peer's answer can never precede it in the capture.
func (p *Proxy) captureSent(d Dir, local *net.UDPAddr, data []byte, comment string) {
	p.capture(d, time.Now(), local, data, comment)
}

func (p *Proxy) capture(d Dir, at time.Time, local *net.UDPAddr, data []byte, comment string) {
	if p.pcap == nil {
		return
	}
	if d == Up {
		p.pcap.packet(at, local, p.cfg.Upstream, data, true, comment)
	} else {
		p.pcap.packet(at, p.cfg.Upstream, local, data, false, comment)
	}
}

// takeUpNote returns and clears the comment waiting for the next SUT
// datagram in the capture (a new SUT address, a rebinding). The caller holds
// p.mu.
func (p *Proxy) takeUpNote() string {
	n := p.upNote
	p.upNote = ""
	return n
}

func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}
