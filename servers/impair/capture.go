package impair

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
)

// The capture layout and why it has one leg only are in the package doc.

// captureOptions label the capture interface. The server's port is shown
// as 5684 so that Wireshark decodes DTLS and CoAP without being told the
// real one, which the description keeps.
func captureOptions(listen, upstream *net.UDPAddr) pcapng.Options {
	return pcapng.Options{
		App:    "lwm2m-conform impairment proxy",
		IfName: "impairment-proxy",
		IfDescription: fmt.Sprintf("SUT (via proxy %s, shown as the proxy's upstream socket) ⇄ server %s (shown as port %d)",
			listen, upstream, pcapng.CoAPSPort),
		ShowPortAs: map[int]int{upstream.Port: pcapng.CoAPSPort},
	}
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
		p.pcap.Packet(at, local, p.cfg.Upstream, data, true, comment)
	} else {
		p.pcap.Packet(at, p.cfg.Upstream, local, data, false, comment)
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
