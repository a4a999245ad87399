package model

import (
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Resources 16-20 of the Server object (Core 1.1 §6.2.1.1, Appendix E.2):
// how a client retries a failing registration and whether it then goes
// back to bootstrap.
const (
	srvBootstrapOnFailure = 16
	srvRetryCount         = 17
	srvRetryTimer         = 18
	srvSequenceDelay      = 19
	srvSequenceRetryCount = 20
)

// RegistrationFailure is a Server instance's registration-failure
// settings. Counts are at least 1. A timer the server did not set is
// reported unset (RetryTimerSet, SequenceDelaySet false), so that a
// client may keep its own backoff instead of the spec's long defaults
// (60 s, 86400 s).
type RegistrationFailure struct {
	Bootstrap          bool          // 16, default true
	RetryCount         int           // 17, default 5
	RetryTimer         time.Duration // 18, whole seconds
	RetryTimerSet      bool
	SequenceDelay      time.Duration // 19, whole seconds
	SequenceDelaySet   bool
	SequenceRetryCount int // 20, default 1
}

// RegistrationFailure returns the settings of Server instance inst, the
// spec's defaults where a resource is unset (or the instance is gone).
func (m *Model) RegistrationFailure(inst uint16) RegistrationFailure {
	m.mu.RLock()
	defer m.mu.RUnlock()
	in := m.objects[lwm2m.ObjServer][inst]
	rf := RegistrationFailure{Bootstrap: true, RetryCount: 5, SequenceRetryCount: 1}
	if _, ok := in[srvBootstrapOnFailure]; ok {
		rf.Bootstrap = boolean(in, srvBootstrapOnFailure)
	}
	if n := integer(in, srvRetryCount); n > 0 {
		rf.RetryCount = int(n)
	}
	if n := integer(in, srvSequenceRetryCount); n > 0 {
		rf.SequenceRetryCount = int(n)
	}
	_, rf.RetryTimerSet = in[srvRetryTimer]
	rf.RetryTimer = seconds(in, srvRetryTimer)
	_, rf.SequenceDelaySet = in[srvSequenceDelay]
	rf.SequenceDelay = seconds(in, srvSequenceDelay)
	return rf
}
