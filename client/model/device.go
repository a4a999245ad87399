package model

import (
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// deviceInstance is Device object instance 0 as the client starts with it.
func deviceInstance(cfg settings) instance {
	str := func(s string) *resource { return &resource{value: lwm2m.String(s)} }
	return instance{
		lwm2m.DevManufacturer:    str(cfg.manufacturer),
		lwm2m.DevModelNumber:     str(cfg.modelNumber),
		lwm2m.DevSerialNumber:    str(cfg.serial),
		lwm2m.DevFirmwareVersion: str(cfg.firmware),
		lwm2m.DevErrorCode:       {multi: true, inst: map[uint16]lwm2m.Value{0: lwm2m.Int(0)}},
		// Current Time is computed on read from the clock and the offset a
		// server wrote; the stored value only marks the resource present.
		lwm2m.DevCurrentTime:      {value: lwm2m.UnixTime(0)},
		lwm2m.DevUTCOffset:        str("+00:00"),
		lwm2m.DevTimezone:         str("UTC"),
		lwm2m.DevSupportedBinding: str("UQ"),
	}
}

// isCurrentTime reports whether obj/res is the Device's Current Time.
func isCurrentTime(obj, res uint16) bool {
	return obj == lwm2m.ObjDevice && res == lwm2m.DevCurrentTime
}

// currentTime is the device clock as servers see it. Caller holds m.mu.
func (m *Model) currentTime() lwm2m.Value {
	return lwm2m.Time(m.now().Add(m.clockOffset))
}

// setCurrentTime moves the device clock so that it reads v now. Caller
// holds m.mu for writing.
func (m *Model) setCurrentTime(v lwm2m.Value) {
	sec, _ := v.AsInt()
	m.clockOffset = time.Unix(sec, 0).Sub(m.now().Truncate(time.Second))
}

// ClockOffset is how far Current Time (/3/0/13) is ahead of the system
// clock, as set by servers.
func (m *Model) ClockOffset() time.Duration {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.clockOffset
}
