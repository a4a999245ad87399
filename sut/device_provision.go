package sut

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// Server resources 16-20 (Core 1.1 §6.2.1.1) and the values device mode
// writes: one registration attempt, one sequence, short timers, then back
// to bootstrap. A rejected server thus returns the device at once.
var deviceRegistrationFailure = []struct {
	res uint16
	v   lwm2m.Value
}{
	{16, lwm2m.Bool(true)}, // Bootstrap on Registration Failure
	{17, lwm2m.Uint(1)},    // Communication Retry Count
	{18, lwm2m.Uint(1)},    // Communication Retry Timer, s
	{19, lwm2m.Uint(1)},    // Communication Sequence Delay Timer, s
	{20, lwm2m.Uint(1)},    // Communication Sequence Retry Count
}

// deviceServerInst is the Server instance device mode writes; /1/x/9 is
// executed on it.
const deviceServerInst = serverServerInst

// deviceWrites are the Bootstrap-Writes of one case on a device: the
// case's server account as the bootstrap adapter writes it, without the
// bootstrap account itself (the device keeps its own through
// Bootstrap-Delete of "/", with credentials the harness may not know),
// then, as optional writes a 1.0 client may refuse, the registration-
// failure resources and Client Hold Off Time 0 on the bootstrap account
// so that the device comes back without waiting.
func deviceWrites(t Target, o BootstrapOptions) ([]servers.BootstrapWrite, error) {
	all, err := bootstrapWrites(t, sampleBootstrapURI, o)
	if err != nil {
		return nil, err
	}
	account, _ := o.instances()
	if len(all) == 0 || all[0].Path != lwm2m.NewPath(lwm2m.ObjSecurity, account) {
		return nil, fmt.Errorf("device writes: the first write is %v, not the bootstrap account", all[0].Path)
	}
	writes := all[1:]
	for _, r := range deviceRegistrationFailure {
		p := lwm2m.NewPath(lwm2m.ObjServer, deviceServerInst, r.res)
		writes = append(writes, servers.BootstrapWrite{Path: p, Records: []lwm2m.Record{{Path: p, Value: r.v}}, Optional: true})
	}
	hold := lwm2m.NewPath(lwm2m.ObjSecurity, account, lwm2m.SecClientHoldOff)
	writes = append(writes, servers.BootstrapWrite{Path: hold, Records: []lwm2m.Record{{Path: hold, Value: lwm2m.Int(0)}}, Optional: true})
	return writes, nil
}

// bootstrapTrigger is /1/x/9 of the case's Server instance.
var bootstrapTrigger = lwm2m.NewPath(lwm2m.ObjServer, deviceServerInst, lwm2m.SrvBootstrapTrigger)
