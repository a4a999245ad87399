package impair

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
)

// maxDatagram is the largest UDP payload the proxy reads.
const maxDatagram = 65535

// Proxy is a running impairment proxy for one SUT.
type Proxy struct {
	cfg    Config
	seed   int64
	ln     *net.UDPConn // the SUT-facing socket
	lnAddr *net.UDPAddr
	pcap   *pcapng.Writer // nil without a capture
	sched  [2]*scheduler
	done   chan struct{}
	wg     sync.WaitGroup

	mu          sync.Mutex // guards the fields below
	closed      bool
	up          *net.UDPConn // current upstream socket; replaced by Rebind
	sut         *net.UDPAddr // learnt from the SUT's datagrams
	upNote      string       // capture comment for the next SUT datagram
	rng         [2]*rand.Rand
	n           [2]int
	drop        [2]map[int]bool
	flights     *flightTracker
	cids        cidLengths
	stats       Stats
	undecodable int // notes written about undecodable datagrams
	mtuNotes    int // MTU drops seen, noted up to maxRepeatedNotes

	closeOnce sync.Once
	closeErr  error
}

// Start opens the proxy's sockets and capture and forwards until Close or
// until ctx is done.
func Start(ctx context.Context, cfg Config) (*Proxy, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p := &Proxy{
		cfg:     cfg,
		seed:    cfg.Seed,
		done:    make(chan struct{}),
		flights: newFlightTracker(cfg.DropFlight),
		cids:    cidLengths{fixedUp: cfg.CIDLen},
		drop:    [2]map[int]bool{set(cfg.DropUp), set(cfg.DropDown)},
	}
	for p.seed == 0 {
		p.seed = time.Now().UnixNano()
	}
	for d := range p.rng {
		p.rng[d] = rand.New(rand.NewPCG(uint64(p.seed), uint64(d)))
	}
	laddr, err := net.ResolveUDPAddr("udp", cfg.listen())
	if err != nil {
		return nil, fmt.Errorf("impair: listen address %q: %w", cfg.listen(), err)
	}
	if p.ln, err = net.ListenUDP("udp", laddr); err != nil {
		return nil, fmt.Errorf("impair: listen: %w", err)
	}
	p.lnAddr = p.ln.LocalAddr().(*net.UDPAddr)
	if p.up, err = net.DialUDP("udp", nil, cfg.Upstream); err != nil {
		_ = p.ln.Close()
		return nil, fmt.Errorf("impair: upstream socket: %w", err)
	}
	if cfg.PcapngPath != "" {
		p.pcap, err = pcapng.Create(cfg.PcapngPath, captureOptions(p.lnAddr, cfg.Upstream))
		if err != nil {
			_ = p.ln.Close()
			_ = p.up.Close()
			return nil, fmt.Errorf("impair: capture: %w", err)
		}
	}
	p.note(fmt.Sprintf("impairment proxy %s → %s (%s), seed %d", p.lnAddr, cfg.Upstream, cfg.describe(), p.seed),
		map[string]string{"what": "impair_start", "listen": p.lnAddr.String(), "upstream": cfg.Upstream.String(),
			"seed": fmt.Sprint(p.seed), "impairments": cfg.describe()})
	p.sched[Up] = newScheduler(p.sendUp)
	p.sched[Down] = newScheduler(p.sendDown)
	p.wg.Add(4)
	go p.readSUT()
	go p.readServer(p.up)
	go func() { defer p.wg.Done(); p.sched[Up].run(p.done) }()
	go func() { defer p.wg.Done(); p.sched[Down].run(p.done) }()
	go func() {
		select {
		case <-ctx.Done():
			_ = p.Close()
		case <-p.done:
		}
	}()
	return p, nil
}

// Addr is the address the SUT is given instead of the server's.
func (p *Proxy) Addr() *net.UDPAddr { return p.lnAddr }

// Seed is the seed the random impairments use (Config.Seed or the one
// picked at Start).
func (p *Proxy) Seed() int64 { return p.seed }

// Stats returns the counters so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Retransmissions = p.flights.retransmissions()
	return s
}

// Close stops forwarding, discards datagrams still delayed, and flushes and
// closes the capture. It is safe to call more than once.
func (p *Proxy) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		up := p.up
		p.mu.Unlock()
		close(p.done)
		_ = p.ln.Close()
		_ = up.Close()
		p.wg.Wait()
		if p.pcap != nil {
			p.closeErr = p.pcap.Close()
		}
	})
	return p.closeErr
}

// readSUT forwards what the SUT sends; the SUT's address is the source of
// its latest datagram, so a SUT that restarts on a new port is followed.
func (p *Proxy) readSUT() {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := p.ln.ReadFromUDP(buf)
		at := time.Now()
		if err != nil {
			if p.stopped(err) {
				return
			}
			continue
		}
		p.arrive(Up, append([]byte(nil), buf[:n]...), from, at)
	}
}

// readServer forwards what the server sends to one upstream socket, until
// that socket is closed by Rebind or Close.
func (p *Proxy) readServer(conn *net.UDPConn) {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, err := conn.Read(buf)
		at := time.Now()
		if err != nil {
			if p.stopped(err) {
				return
			}
			continue // e.g. ICMP port unreachable while the server restarts
		}
		p.arrive(Down, append([]byte(nil), buf[:n]...), conn.LocalAddr().(*net.UDPAddr), at)
	}
}

// stopped reports whether a read error means the socket is gone; other
// errors are transient and slow the loop down a little.
func (p *Proxy) stopped(err error) bool {
	if errors.Is(err, net.ErrClosed) {
		return true
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if !closed {
		time.Sleep(time.Millisecond)
	}
	return closed
}

// sendUp sends on the current upstream socket, the one a rebinding left.
func (p *Proxy) sendUp(o outbound) {
	p.mu.Lock()
	up := p.up
	note := p.takeUpNote()
	p.mu.Unlock()
	local := up.LocalAddr().(*net.UDPAddr)
	for i, c := range o.copies() {
		if i == 0 {
			c = joinNotes(note, c)
		}
		p.captureSent(Up, local, o.data, c)
		_, _ = up.Write(o.data)
	}
}

// sendDown sends to the SUT's current address.
func (p *Proxy) sendDown(o outbound) {
	p.mu.Lock()
	sut := p.sut
	p.mu.Unlock()
	if sut == nil {
		return
	}
	for _, c := range o.copies() {
		p.captureSent(Down, o.via, o.data, c)
		_, _ = p.ln.WriteToUDP(o.data, sut)
	}
}

// copies lists the capture comment of each transmission of o.
func (o outbound) copies() []string {
	var notes []string
	if o.delay > 0 {
		notes = append(notes, "delayed by impairment ("+o.delay.Round(time.Microsecond).String()+")")
	}
	if o.reordered {
		notes = append(notes, "reordered by impairment (held back behind the next datagram)")
	}
	first := joinNotes(notes...)
	if o.duplicate {
		return []string{first, "duplicated by impairment"}
	}
	return []string{first}
}

func (p *Proxy) note(summary string, fields map[string]string) {
	if p.cfg.Events != nil {
		p.cfg.Events.Add(events.Event{Kind: events.Note, Summary: summary, Fields: fields})
	}
}

func set(list []int) map[int]bool {
	m := make(map[int]bool, len(list))
	for _, n := range list {
		m[n] = true
	}
	return m
}
