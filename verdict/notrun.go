package verdict

// NotRun is the verdict of a case an interrupted run did not finish: it
// never started, or it was running when the run was stopped (whatever it
// observed after that, the harness was taking it down). Neither a pass nor
// a failure of the client.
const NotRun Verdict = "NOT RUN"
