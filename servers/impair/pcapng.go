package impair

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// pcapng block and option codes (draft-ietf-opsawg-pcapng).
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockEPB = 0x00000006

	byteOrderMagic = 0x1A2B3C4D
	linktypeRaw    = 101 // raw IPv4 or IPv6, by the version nibble

	optEnd        = 0
	optComment    = 1
	optShbUserApp = 4
	optIfName     = 2
	optIfDescr    = 3
	optIfTsresol  = 9
	optEpbFlags   = 2

	epbInbound  = 1 // epb_flags direction bits
	epbOutbound = 2
)

// pcapWriter writes a pcapng capture with one section and one interface.
// Every block is flushed at once, so a capture is readable even if the
// harness dies; the first write error sticks and is returned by Close.
type pcapWriter struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	err  error
	ipID uint16
}

func createPcap(path, ifName, ifDescription string) (*pcapWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("impair: capture: %w", err)
	}
	c := &pcapWriter{f: f, w: bufio.NewWriter(f)}
	shb := binary.LittleEndian.AppendUint32(nil, byteOrderMagic)
	shb = binary.LittleEndian.AppendUint16(shb, 1) // major
	shb = binary.LittleEndian.AppendUint16(shb, 0) // minor
	shb = binary.LittleEndian.AppendUint64(shb, ^uint64(0))
	shb = appendOption(shb, optShbUserApp, []byte("lwm2m-conform impairment proxy"))
	shb = appendOption(shb, optEnd, nil)
	c.block(blockSHB, shb)
	idb := binary.LittleEndian.AppendUint16(nil, linktypeRaw)
	idb = binary.LittleEndian.AppendUint16(idb, 0) // reserved
	idb = binary.LittleEndian.AppendUint32(idb, 0) // snaplen: no limit
	idb = appendOption(idb, optIfName, []byte(ifName))
	idb = appendOption(idb, optIfDescr, []byte(ifDescription))
	idb = appendOption(idb, optIfTsresol, []byte{9}) // nanoseconds
	idb = appendOption(idb, optEnd, nil)
	c.block(blockIDB, idb)
	if c.err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("impair: capture: %w", c.err)
	}
	return c, nil
}

// packet writes the datagram payload src→dst seen at time at.
func (c *pcapWriter) packet(at time.Time, src, dst *net.UDPAddr, payload []byte, inbound bool, comment string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil || c.err != nil {
		return
	}
	c.ipID++
	pkt, err := ipUDPPacket(src, dst, payload, c.ipID)
	if err != nil {
		c.err = err
		return
	}
	ts := uint64(at.UnixNano())
	b := binary.LittleEndian.AppendUint32(nil, 0) // interface 0
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(pkt))) // captured
	b = binary.LittleEndian.AppendUint32(b, uint32(len(pkt))) // original
	b = append(b, pkt...)
	b = append(b, make([]byte, pad4(len(pkt)))...)
	if comment != "" {
		b = appendOption(b, optComment, []byte(comment))
	}
	flags := uint32(epbOutbound)
	if inbound {
		flags = epbInbound
	}
	b = appendOption(b, optEpbFlags, binary.LittleEndian.AppendUint32(nil, flags))
	b = appendOption(b, optEnd, nil)
	c.block(blockEPB, b)
}

// block writes one block around body (already padded to 32 bits) and
// flushes it. Callers hold c.mu or own c exclusively.
func (c *pcapWriter) block(typ uint32, body []byte) {
	if c.err != nil {
		return
	}
	total := uint32(12 + len(body))
	b := binary.LittleEndian.AppendUint32(make([]byte, 0, total), typ)
	b = binary.LittleEndian.AppendUint32(b, total)
	b = append(b, body...)
	b = binary.LittleEndian.AppendUint32(b, total)
	if _, err := c.w.Write(b); err != nil {
		c.err = err
		return
	}
	c.err = c.w.Flush()
}

// Close flushes and closes the file; later packets are ignored.
func (c *pcapWriter) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return nil
	}
	err := errors.Join(c.err, c.w.Flush(), c.f.Close())
	c.f = nil
	if err != nil {
		return fmt.Errorf("impair: capture: %w", err)
	}
	return nil
}

// appendOption appends a pcapng option, its value padded to 32 bits.
func appendOption(b []byte, code uint16, value []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	b = append(b, value...)
	return append(b, make([]byte, pad4(len(value)))...)
}

func pad4(n int) int { return (4 - n%4) % 4 }
