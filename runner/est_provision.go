package runner

import (
	"slices"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// estSSID and estLifetime are the LwM2M account of an est case.
const (
	estSSID     = 101
	estLifetime = 300 * time.Second
)

// mode4Writes is the LwM2M server account in Security Mode 4 (certificate
// with EST): /0/1 with the server's URI and no client certificate, key
// or Server Public Key (the client generates its key and trusts the /crts
// anchors), and /1/0. The client keeps its bootstrap account at /0/0.
func mode4Writes(uri string, lifetime time.Duration) []servers.BootstrapWrite {
	if lifetime <= 0 {
		lifetime = estLifetime
	}
	sec := func(r uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjSecurity, 1, r) }
	srv := func(r uint16) lwm2m.Path { return lwm2m.NewPath(lwm2m.ObjServer, 0, r) }
	return []servers.BootstrapWrite{
		{Path: lwm2m.NewPath(lwm2m.ObjSecurity, 1), Records: []lwm2m.Record{
			{Path: sec(lwm2m.SecServerURI), Value: lwm2m.String(uri)},
			{Path: sec(lwm2m.SecBootstrapServer), Value: lwm2m.Bool(false)},
			{Path: sec(lwm2m.SecSecurityMode), Value: lwm2m.Int(4)},
			{Path: sec(lwm2m.SecPublicKeyOrID), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecServerPublicKey), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecSecretKey), Value: lwm2m.Opaque(nil)},
			{Path: sec(lwm2m.SecShortServerID), Value: lwm2m.Int(estSSID)},
		}},
		{Path: lwm2m.NewPath(lwm2m.ObjServer, 0), Records: []lwm2m.Record{
			{Path: srv(lwm2m.SrvShortServerID), Value: lwm2m.Int(estSSID)},
			{Path: srv(lwm2m.SrvLifetime), Value: lwm2m.Int(int64(lifetime / time.Second))},
			{Path: srv(lwm2m.SrvNotifStoring), Value: lwm2m.Bool(false)},
			{Path: srv(lwm2m.SrvBinding), Value: lwm2m.String("U")},
		}},
	}
}

// harnessPeer is the field naming the server that recorded an event in
// an est case's merged timeline.
const harnessPeer = "harness_peer"

// mergedEvents tags the bootstrap and LwM2M servers' events, and those of
// the adapter's own bootstrap server that provisioned the SUT (prov, the
// bootstrap adapter), and orders them by time (stable, so each server's
// own order is kept).
func mergedEvents(bs, lw, prov []events.Event) []events.Event {
	tag := func(evs []events.Event, peer string) []events.Event {
		out := make([]events.Event, len(evs))
		for i, e := range evs {
			f := make(map[string]string, len(e.Fields)+1)
			for k, v := range e.Fields {
				f[k] = v
			}
			f[harnessPeer] = peer
			e.Fields = f
			out[i] = e
		}
		return out
	}
	all := append(tag(bs, peerBootstrap), tag(lw, peerLwM2M)...)
	all = append(all, tag(prov, peerProvisioning)...)
	slices.SortStableFunc(all, func(a, b events.Event) int { return a.Time.Compare(b.Time) })
	return all
}

// byPeer keeps the events the servers named recorded.
func byPeer(evs []events.Event, peers ...string) []events.Event {
	var out []events.Event
	for _, e := range evs {
		if slices.Contains(peers, e.Fields[harnessPeer]) {
			out = append(out, e)
		}
	}
	return out
}
