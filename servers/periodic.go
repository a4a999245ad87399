package servers

import (
	"sync"
	"time"
)

// coapTick is how often go-coap checks retransmissions and expirations. Its
// default runner sleeps 4 s between ticks and cannot be stopped, which both
// coarsens CoAP retransmission timing and leaves a goroutine behind.
const coapTick = 200 * time.Millisecond

// periodicRunner is a go-coap periodic.Func whose goroutines end on stop.
type periodicRunner struct {
	done chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

func newPeriodicRunner() *periodicRunner { return &periodicRunner{done: make(chan struct{})} }

func (p *periodicRunner) run(f func(now time.Time) bool) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(coapTick)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case now := <-t.C:
				if !f(now) {
					return
				}
			}
		}
	}()
}

// stop ends every loop and waits for them.
func (p *periodicRunner) stop() {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}
