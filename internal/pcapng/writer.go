package pcapng

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// DefaultLimit bounds the packet blocks of one capture: a SUT flooding the
// server must not fill the disk of a CI runner.
const DefaultLimit = 4 << 20

// CoAPSPort is the port Wireshark decodes as DTLS carrying CoAP without
// being told (RFC 7252 §12.8).
const CoAPSPort = 5684

// Options describe a capture.
type Options struct {
	App                   string // shb_userappl: who wrote the file
	IfName, IfDescription string
	// Limit bounds the bytes of packet blocks; 0 means DefaultLimit.
	Limit int64
	// ShowPortAs maps a real port to the one the synthetic UDP headers
	// show, e.g. the harness server's ephemeral port to CoAPSPort.
	ShowPortAs map[int]int
}

// Writer writes one capture file. Every block is flushed at once, so a
// capture is readable even if the harness dies; the first write error
// sticks and is returned by Close. It is safe for concurrent use.
type Writer struct {
	opts Options

	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	err     error
	ipID    uint16
	written int64 // bytes of packet blocks so far
	over    overflow
}

// overflow is what the limit left out.
type overflow struct {
	n, bytes int
	last     []byte // headers of the last datagram left out
	lastLen  int    // and its whole length
	lastAt   time.Time
	inbound  bool
}

// Create starts a capture at path, readable by the owner only: once the
// key log is embedded it holds session secrets.
func Create(path string, o Options) (*Writer, error) {
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	// A file left by an earlier run would keep its mode under O_TRUNC.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("pcapng: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pcapng: %w", err)
	}
	w := &Writer{opts: o, f: f, w: bufio.NewWriter(f)}
	w.put(sectionHeader(o.App))
	w.put(interfaceDescription(o.IfName, o.IfDescription))
	if w.err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("pcapng: %w", w.err)
	}
	return w, nil
}

// Packet writes the datagram payload src→dst seen at time at; inbound is
// the direction as the capturing socket saw it.
func (w *Writer) Packet(at time.Time, src, dst *net.UDPAddr, payload []byte, inbound bool, comment string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil || w.err != nil {
		return
	}
	w.ipID++
	pkt, err := ipUDPPacket(w.shown(src), w.shown(dst), payload, w.ipID)
	if err != nil {
		w.err = err
		return
	}
	b := enhancedPacket(at.UnixNano(), pkt, len(pkt), inbound, comment)
	if w.written+int64(len(b)) <= w.opts.Limit && w.over.n == 0 {
		w.written += int64(len(b))
		w.put(b)
		return
	}
	hdr := len(pkt) - len(payload)
	w.over.n++
	w.over.bytes += len(payload)
	if w.over.n == 1 {
		w.put(enhancedPacket(at.UnixNano(), pkt[:hdr], len(pkt), inbound, fmt.Sprintf(
			"capture limit of %d bytes reached: this datagram (%d bytes) and every later one are left out", w.opts.Limit, len(payload))))
		return
	}
	w.over.last, w.over.lastLen, w.over.lastAt, w.over.inbound = pkt[:hdr], len(pkt), at, inbound
}

// shown is a with its port as the capture shows it.
func (w *Writer) shown(a *net.UDPAddr) *net.UDPAddr {
	if a == nil {
		return nil
	}
	if p, ok := w.opts.ShowPortAs[a.Port]; ok {
		return &net.UDPAddr{IP: a.IP, Port: p, Zone: a.Zone}
	}
	return a
}

// put writes one encoded block and flushes it. Callers hold w.mu or own w
// exclusively.
func (w *Writer) put(b []byte) {
	if w.err != nil {
		return
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return
	}
	w.err = w.w.Flush()
}

// Close marks what the limit left out, flushes and closes the file; later
// packets are ignored.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	if o := w.over; o.n > 1 {
		w.put(enhancedPacket(o.lastAt.UnixNano(), o.last, o.lastLen, o.inbound, fmt.Sprintf(
			"last of %d datagrams (%d bytes of payload) left out after the capture limit of %d bytes", o.n, o.bytes, w.opts.Limit)))
	}
	err := errors.Join(w.err, w.w.Flush(), w.f.Close())
	w.f = nil
	if err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	return nil
}
