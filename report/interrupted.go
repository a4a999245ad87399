package report

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// notRun counts the results an interrupted run did not finish.
func notRun(rs []verdict.Result) int {
	n := 0
	for _, r := range rs {
		if r.Verdict == verdict.NotRun {
			n++
		}
	}
	return n
}

// InterruptedLine says what an interrupted run covered, "" for a run that
// completed. Cases not run are neither passes nor failures of the client.
func InterruptedLine(r Run) string {
	if r.Interrupted == "" {
		return ""
	}
	total, skipped := len(r.Results), notRun(r.Results)
	return fmt.Sprintf("INTERRUPTED by %s: %d of %d cases ran; %d not run (neither passed nor failed)",
		r.Interrupted, total-skipped, total, skipped)
}
