package model

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// TestConcurrentUse exercises the model from several goroutines; run with
// -race to check the locking.
func TestConcurrentUse(t *testing.T) {
	m := withServer(t)
	var events atomic.Int64
	cancel := m.Subscribe(func(p lwm2m.Path) {
		events.Add(1)
		_, _ = m.Read(p.Parent()) // listeners may call back into the model
	})
	defer cancel()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				_ = m.Set(lwm2m.NewPath(1, 0, 1), lwm2m.Int(int64(i)))
				_, _ = m.Read(lwm2m.NewPath(1, 0))
				_ = m.Security()
				_ = m.ObjectLinks()
				if _, err := m.Marshal(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if events.Load() != 800 {
		t.Fatalf("%d change events, want 800", events.Load())
	}
}
