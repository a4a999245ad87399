// Package runner executes one catalogued case end to end: it stands up the
// harness peer the case describes, starts the SUT provisioned for it,
// watches the peer's events until the outcome is known (never waiting out
// a timeout when the SUT already said no), stops the SUT, and judges.
//
// The `run` command and the Ginkgo suites both drive cases through here.
package runner
