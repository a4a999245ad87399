package runner

import (
	"context"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// RunAll runs cases on `parallel` workers and returns results in case
// order; done (optional) sees each result as it lands.
//
// When ctx ends (the run is interrupted) no further case starts, and every
// case that did not finish before is NOT RUN: those never started, and
// those still running, whose observation is the harness taking them down
// (the engine's "cancel" decision, or the SUT killed by the stop) and says
// nothing about the client. A capability SKIP stays a SKIP.
func (r *Runner) RunAll(ctx context.Context, cases []catalog.Case, parallel int, done func(verdict.Result)) []verdict.Result {
	if parallel < 1 {
		parallel = 1
	}
	out := make([]verdict.Result, len(cases))
	started := make([]bool, len(cases))
	idx := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				res := r.Run(ctx, cases[i])
				if res.Observation.DecidedBy == "cancel" || (ctx.Err() != nil && res.Verdict != verdict.Skip) {
					res = notRun(res, "not run: it was running when the run was interrupted")
				}
				out[i] = res
				if done != nil {
					mu.Lock()
					done(res)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range cases {
		if ctx.Err() != nil {
			break
		}
		select {
		case idx <- i:
			started[i] = true
		case <-ctx.Done():
		}
	}
	close(idx)
	wg.Wait()
	for i := range out {
		if !started[i] {
			out[i] = notRun(verdict.Result{Case: cases[i]}, "not run: the run was interrupted before it started")
		}
	}
	return out
}

// notRun keeps what identifies the case and where its evidence is, and
// drops the observation and checks, which were the harness's doing.
func notRun(res verdict.Result, why string) verdict.Result {
	return verdict.Result{
		Case: res.Case, Verdict: verdict.NotRun, Reason: why,
		Duration: res.Duration, EvidenceDir: res.EvidenceDir,
	}
}
