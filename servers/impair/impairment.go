package impair

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// maxRepeatedNotes bounds the notes about datagrams that are not DTLS (a
// NoSec case through the proxy) and about MTU drops (a flight retransmitted
// until the handshake times out), so neither floods the timeline; the
// Record events still describe every datagram.
const maxRepeatedNotes = 16

// draws are the random numbers one datagram consumes. Every datagram takes
// all of them whatever is decided, so one decision never shifts the draws
// of the datagrams after it.
type draws struct{ loss, duplicate, reorder, jitter float64 }

// verdict is what the proxy does with one datagram.
type verdict struct {
	drop      string // reason; "" = forward
	duplicate bool
	held      bool
	delay     time.Duration
}

// arrive decides the fate of a datagram received from direction d at time
// at. peer is the receiving leg's variable end: the SUT's address for Up,
// the upstream socket's local address for Down.
func (p *Proxy) arrive(d Dir, data []byte, peer *net.UDPAddr, at time.Time) {
	p.mu.Lock()
	evs := p.learnSUT(d, peer, at)
	p.n[d]++
	idx := p.n[d]
	r := p.rng[d]
	dr := draws{r.Float64(), r.Float64(), r.Float64(), r.Float64()}
	recs, perr := dtlswire.ParseRecords(data, p.cids.of(d))
	p.cids.learn(d, recs)
	flightDrop := p.flights.observe(d, recs, at)

	var v verdict
	v.drop, evs = p.dropReason(d, idx, len(data), flightDrop, dr.loss, at, evs)
	p.stats.count(d, v.drop != "")

	local := peer // Down: the upstream socket it arrived on
	if d == Up {
		local = p.up.LocalAddr().(*net.UDPAddr)
	}
	if v.drop != "" {
		p.captureDropped(d, at, local, data, v.drop)
	} else {
		v.duplicate = dr.duplicate < p.cfg.Duplicate
		v.delay = p.delay(dr.jitter)
		v.held = p.sched[d].push(outbound{data: data, via: local, due: at.Add(v.delay), delay: v.delay, duplicate: v.duplicate},
			dr.reorder < p.cfg.Reorder)
		if v.duplicate {
			p.stats.Duplicated++
		}
	}

	evs = append(evs, recordEvents(d, idx, p.remote(d), recs, v, at)...)
	if perr != nil && p.undecodable < maxRepeatedNotes {
		p.undecodable++
		evs = append(evs, noteEvent(at, fmt.Sprintf("%s datagram #%d of %d bytes not decodable as DTLS: %v", d, idx, len(data), perr),
			map[string]string{"what": "undecodable", "dir": d.String(), "n": strconv.Itoa(idx), "error": perr.Error()}))
	}
	if p.cfg.Verbose && v.impaired() {
		evs = append(evs, noteEvent(at, fmt.Sprintf("%s datagram #%d of %d bytes: %s", d, idx, len(data), v),
			map[string]string{"what": "impaired", "dir": d.String(), "n": strconv.Itoa(idx)}))
	}
	p.mu.Unlock()
	if p.cfg.Events != nil {
		for _, e := range evs {
			p.cfg.Events.Add(e)
		}
	}
}

// dropReason says why datagram #idx of direction d is dropped, "" if it is
// not, in order of precedence; an MTU drop adds a note to evs. The caller
// holds p.mu.
func (p *Proxy) dropReason(d Dir, idx, size int, flightDrop string, loss float64, at time.Time, evs []events.Event) (string, []events.Event) {
	switch {
	case d == Down && p.sut == nil:
		return "no SUT address known yet", evs
	case p.drop[d][idx]:
		return fmt.Sprintf("drop_%s #%d", d, idx), evs
	case flightDrop != "":
		return flightDrop, evs
	case p.cfg.MTU > 0 && size > p.cfg.MTU:
		if p.mtuNotes++; p.mtuNotes <= maxRepeatedNotes {
			evs = append(evs, noteEvent(at, fmt.Sprintf("%s datagram #%d of %d bytes exceeds the MTU of %d bytes: dropped", d, idx, size, p.cfg.MTU),
				map[string]string{"what": "mtu_drop", "dir": d.String(), "n": strconv.Itoa(idx),
					"size": strconv.Itoa(size), "mtu": strconv.Itoa(p.cfg.MTU)}))
		}
		return fmt.Sprintf("mtu: %d bytes exceed %d", size, p.cfg.MTU), evs
	case loss < p.cfg.Loss:
		return "loss", evs
	}
	return "", evs
}

// learnSUT follows the SUT's address; the caller holds p.mu.
func (p *Proxy) learnSUT(d Dir, from *net.UDPAddr, at time.Time) []events.Event {
	if d != Up || (p.sut != nil && p.sut.String() == from.String()) {
		return nil
	}
	old := p.sut
	p.sut = from
	p.upNote = joinNotes(p.upNote, "from SUT "+from.String())
	if old == nil {
		return []events.Event{noteEvent(at, "SUT address "+from.String(),
			map[string]string{"what": "sut_address", "addr": from.String()})}
	}
	return []events.Event{noteEvent(at, fmt.Sprintf("SUT address changed from %s to %s", old, from),
		map[string]string{"what": "sut_address", "addr": from.String(), "old": old.String()})}
}

// delay is Delay spread uniformly over ±Jitter by draw u in [0,1).
func (p *Proxy) delay(u float64) time.Duration {
	d := p.cfg.Delay + time.Duration((2*u-1)*float64(p.cfg.Jitter))
	return max(d, 0)
}

// remote is the far end of direction d as the records' sender; the caller
// holds p.mu.
func (p *Proxy) remote(d Dir) string {
	if d == Up {
		return p.sut.String()
	}
	return p.cfg.Upstream.String()
}

func (s *Stats) count(d Dir, dropped bool) {
	if d == Up {
		s.Up++
		if dropped {
			s.DroppedUp++
		}
		return
	}
	s.Down++
	if dropped {
		s.DroppedDown++
	}
}

func (v verdict) impaired() bool { return v.drop != "" || v.duplicate || v.held || v.delay > 0 }

func (v verdict) String() string {
	if v.drop != "" {
		return "dropped (" + v.drop + ")"
	}
	var parts []string
	if v.delay > 0 {
		parts = append(parts, "delayed "+v.delay.Round(time.Microsecond).String())
	}
	if v.duplicate {
		parts = append(parts, "duplicated")
	}
	if v.held {
		parts = append(parts, "held back behind the next datagram")
	}
	if len(parts) == 0 {
		return "forwarded"
	}
	return strings.Join(parts, ", ")
}

func noteEvent(at time.Time, summary string, fields map[string]string) events.Event {
	return events.Event{Time: at, Kind: events.Note, Summary: summary, Fields: fields}
}

// describe lists the configured impairments for the start note.
func (c *Config) describe() string {
	var parts []string
	if c.Loss > 0 {
		parts = append(parts, fmt.Sprintf("loss %g", c.Loss))
	}
	if len(c.DropUp) > 0 {
		parts = append(parts, fmt.Sprintf("drop_up %v", c.DropUp))
	}
	if len(c.DropDown) > 0 {
		parts = append(parts, fmt.Sprintf("drop_down %v", c.DropDown))
	}
	for _, f := range c.DropFlight {
		parts = append(parts, fmt.Sprintf("drop_flight %s %s #%d", f.Dir, dtlswire.HandshakeTypeName(f.Handshake), f.Occurrence))
	}
	if c.Delay > 0 || c.Jitter > 0 {
		parts = append(parts, fmt.Sprintf("delay %v±%v", c.Delay, c.Jitter))
	}
	if c.Duplicate > 0 {
		parts = append(parts, fmt.Sprintf("duplicate %g", c.Duplicate))
	}
	if c.Reorder > 0 {
		parts = append(parts, fmt.Sprintf("reorder %g", c.Reorder))
	}
	if c.MTU > 0 {
		parts = append(parts, fmt.Sprintf("mtu %d", c.MTU))
	}
	if len(parts) == 0 {
		return "no impairment"
	}
	return strings.Join(parts, ", ")
}
