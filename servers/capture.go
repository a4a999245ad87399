package servers

import (
	"fmt"
	"net"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
)

// serverCapture writes what a DTLS harness server's socket reads and
// writes, one leg as the server saw it: the layout of the impairment
// proxy's capture, so a direct case and a proxied one read alike. The
// server's port is shown as 5684, where Wireshark decodes DTLS and CoAP
// unprompted; the interface description keeps the real one. A nil
// *serverCapture captures nothing.
type serverCapture struct {
	w     *pcapng.Writer
	local *net.UDPAddr
}

// openCapture starts the capture at path for the socket bound to local;
// "" means no capture.
func openCapture(path string, local *net.UDPAddr) (*serverCapture, error) {
	if path == "" {
		return nil, nil
	}
	w, err := pcapng.Create(path, pcapng.Options{
		App:           "lwm2m-conform harness server",
		IfName:        "harness-server",
		IfDescription: fmt.Sprintf("SUT ⇄ harness DTLS server %s (shown as port %d)", local, pcapng.CoAPSPort),
		ShowPortAs:    map[int]int{local.Port: pcapng.CoAPSPort},
	})
	if err != nil {
		return nil, fmt.Errorf("servers: capture: %w", err)
	}
	return &serverCapture{w: w, local: local}, nil
}

func (c *serverCapture) inbound(from net.Addr, p []byte, at time.Time) {
	if ua, ok := from.(*net.UDPAddr); ok && c != nil {
		c.w.Packet(at, ua, c.local, p, true, "")
	}
}

// outbound is called just before the datagram is sent, so that the peer's
// answer can never precede it in the capture.
func (c *serverCapture) outbound(to net.Addr, p []byte, at time.Time) {
	if ua, ok := to.(*net.UDPAddr); ok && c != nil {
		c.w.Packet(at, c.local, ua, p, false, "")
	}
}

func (c *serverCapture) close() error {
	if c == nil {
		return nil
	}
	return c.w.Close()
}
