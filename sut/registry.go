package sut

import "sync"

// live holds every Instance started and not yet ended, so that StopAll can
// leave nothing running when the harness is interrupted.
var live = struct {
	sync.Mutex
	set map[Instance]struct{}
}{set: map[Instance]struct{}{}}

func track(i Instance) {
	live.Lock()
	live.set[i] = struct{}{}
	live.Unlock()
}

func untrack(i Instance) {
	live.Lock()
	delete(live.set, i)
	live.Unlock()
}

// StopAll stops every running Instance of every adapter and waits for
// them; for the CLI's interrupt handler. It returns the first Stop error.
func StopAll() error {
	live.Lock()
	all := make([]Instance, 0, len(live.set))
	for i := range live.set {
		all = append(all, i)
	}
	live.Unlock()
	errs := make(chan error, len(all))
	for _, i := range all {
		go func() { errs <- i.Stop() }()
	}
	var first error
	for range all {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
