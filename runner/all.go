package runner

import (
	"context"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// RunAll runs cases on `parallel` workers and returns results in case
// order; done (optional) sees each result as it lands.
func (r *Runner) RunAll(ctx context.Context, cases []catalog.Case, parallel int, done func(verdict.Result)) []verdict.Result {
	if parallel < 1 {
		parallel = 1
	}
	out := make([]verdict.Result, len(cases))
	idx := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				out[i] = r.Run(ctx, cases[i])
				if done != nil {
					mu.Lock()
					done(out[i])
					mu.Unlock()
				}
			}
		}()
	}
	for i := range cases {
		if ctx.Err() != nil {
			break
		}
		idx <- i
	}
	close(idx)
	wg.Wait()
	for i := range out {
		if out[i].Case.ID == "" { // never started: the run was interrupted
			out[i] = verdict.Result{Case: cases[i], Verdict: verdict.Skip, Reason: "not run: the run was interrupted"}
		}
	}
	return out
}
