package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
	"github.com/lwm2m-conform/lwm2m-conform/servers/impair"
)

// startProxy puts the impairment proxy between SUT and server; its capture
// goes next to the case's key log so Wireshark decrypts it.
func (cr *caseRun) startProxy(ctx context.Context, dir string) error {
	imp := cr.c.Impair
	cfg := impair.Config{
		Upstream: cr.srv.Addr(),
		Loss:     imp.Loss,
		DropUp:   imp.DropUp,
		Seed:     imp.Seed,
		Events:   cr.log,
		Verbose:  cr.Verbose,
	}
	for _, f := range imp.DropFlight {
		if f == "server_hello" {
			cfg.DropFlight = append(cfg.DropFlight, impair.Flight{Dir: impair.Down, Handshake: 2, Occurrence: 1})
		}
	}
	if cr.res.EvidenceDir != "" {
		cfg.PcapngPath = filepath.Join(dir, "capture.pcapng")
	}
	p, err := impair.Start(ctx, cfg)
	if err != nil {
		return fmt.Errorf("impairment proxy: %w", err)
	}
	cr.proxy = p
	return nil
}

// stopProxy closes the capture and records the retransmissions it saw.
func (cr *caseRun) stopProxy() {
	st := cr.proxy.Stats()
	cr.proxy.Close()
	var parts []string
	for _, rt := range st.Retransmissions {
		dir := "SUT→server"
		if rt.Dir == impair.Down {
			dir = "server→SUT"
		}
		var iv []string
		for _, d := range rt.Intervals {
			iv = append(iv, d.Round(1e6).String())
		}
		parts = append(parts, fmt.Sprintf("%s %s ×%d after %s", dir, dtlswire.HandshakeTypeName(rt.Handshake), rt.Count, strings.Join(iv, ", ")))
	}
	summary := fmt.Sprintf("proxy: %d datagrams up, %d down, %d dropped", st.Up, st.Down, st.DroppedUp+st.DroppedDown)
	if len(parts) > 0 {
		summary += "; retransmissions: " + strings.Join(parts, "; ")
	}
	cr.log.Add(events.Event{Kind: events.Note, Summary: summary, Fields: map[string]string{"what": "proxy_stats"}})
}
