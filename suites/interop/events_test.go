package interop

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// eventLog records a Leshan peer's event stream for the current spec.
type eventLog struct {
	mu     sync.Mutex
	events []leshan.Event
}

// subscribe starts recording; the subscription is in place on return.
func subscribe(events func(context.Context) (<-chan leshan.Event, error)) *eventLog {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	DeferCleanup(cancel)
	ch, err := events(ctx)
	Expect(err).NotTo(HaveOccurred())
	l := &eventLog{}
	go func() {
		for ev := range ch {
			l.mu.Lock()
			l.events = append(l.events, ev)
			l.mu.Unlock()
		}
	}()
	return l
}

// all returns the recorded events of name about endpoint ("" = any).
func (l *eventLog) all(name, endpoint string) []leshan.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []leshan.Event
	for _, ev := range l.events {
		if ev.Name == name && (endpoint == "" || ev.Endpoint == endpoint) {
			out = append(out, ev)
		}
	}
	return out
}

// await waits for the n-th (1-based) event of name about endpoint.
func (l *eventLog) await(name, endpoint string, n int, within time.Duration) leshan.Event {
	GinkgoHelper()
	var got []leshan.Event
	Eventually(func() int {
		got = l.all(name, endpoint)
		return len(got)
	}).WithTimeout(within).WithPolling(20*time.Millisecond).Should(BeNumerically(">=", n),
		"Leshan event %s #%d for %q", name, n, endpoint)
	return got[n-1]
}

// dtls decodes Leshan's DTLS handshake events.
func dtls(evs []leshan.Event) []leshan.DTLSEvent {
	var out []leshan.DTLSEvent
	for _, ev := range evs {
		var d leshan.DTLSEvent
		if json.Unmarshal(ev.Data, &d) == nil {
			out = append(out, d)
		}
	}
	return out
}

func decode[T any](ev leshan.Event) T {
	GinkgoHelper()
	var v T
	Expect(json.Unmarshal(ev.Data, &v)).To(Succeed(), "event %s: %s", ev.Name, ev.Data)
	return v
}
