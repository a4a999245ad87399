package runner

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Device mode (sut.Device): a device started once is provisioned for each
// case through the bootstrap interface and judged by the same state
// machine as a per-case client. Two steps differ, and live here.

// acquireDevice holds a device for the case before its instance starts,
// so that waiting for a free device counts against no bound; the device
// registers under its own endpoint name. Other adapters: nothing to do.
func (cr *caseRun) acquireDevice(ctx context.Context) error {
	dm, ok := cr.Adapter.(sut.DeviceMode)
	if !ok {
		return nil
	}
	ep, err := dm.Acquire(ctx, cr.target, cr.c.Scenario, cr.log)
	if err != nil {
		return err
	}
	cr.target.Endpoint = ep
	return nil
}

// steerDevice runs once the case is decided: the case's server executes
// the Bootstrap-Request Trigger on a registered device, and the device
// must come back to bootstrap for the next case (reset if it does not).
// Only the device's own process ending counts as the SUT exiting.
func (cr *caseRun) steerDevice(ctx context.Context) {
	s, ok := cr.inst().(sut.Steerable)
	if !ok {
		return
	}
	ep := cr.target.Endpoint
	err := s.Steer(ctx, registered(cr.log.Events()), func(ctx context.Context, p lwm2m.Path) error {
		return cr.srv.Execute(ctx, ep, p, "")
	})
	cr.exited = s.ProcessEnded()
	if err != nil && cr.Logger != nil {
		cr.Logger.Error(err.Error(), "case", cr.c.ID)
	}
}

// registered reports whether the SUT registered with the case's server.
func registered(evs []events.Event) bool {
	for _, e := range evs {
		if e.Kind == events.Register || e.Kind == events.Update {
			return true
		}
	}
	return false
}

// DeviceNotes are the run-level notes of a device-mode run, for the top
// of the reports: how many cases the bootstrap interface could not
// provision and why, and the device lost, if one was.
func DeviceNotes(a sut.Adapter, results []verdict.Result) []string {
	d, ok := a.(*sut.Device)
	if !ok {
		return nil
	}
	var notes []string
	if err := d.Lost(); err != nil {
		notes = append(notes, err.Error())
	}
	why := map[string]int{}
	total := 0
	for _, r := range results {
		if r.Verdict == verdict.Skip && strings.HasPrefix(r.Reason, "device mode: ") {
			why[strings.TrimPrefix(r.Reason, "device mode: ")]++
			total++
		}
	}
	if total == 0 {
		return notes
	}
	reasons := make([]string, 0, len(why))
	for r, n := range why {
		reasons = append(reasons, fmt.Sprintf("%d× %s", n, r))
	}
	sort.Strings(reasons)
	return append(notes, fmt.Sprintf("device mode: %d of %d cases SKIP: %s", total, len(results), strings.Join(reasons, "; ")))
}
