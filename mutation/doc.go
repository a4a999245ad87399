// Package mutation proves that every verdict can come out FAIL: for each
// deliberate defect of the reference client (`client --fault NAME`) it
// computes, from the catalogue's decision tables, the PKI world specs and
// the defect's meaning, exactly which cases must FAIL, with which outcome
// and which failed checks. suites/mutation_test.go runs each fault and
// compares.
//
// Nothing here calls the client's verifier or the runner: the certificate
// decision is a small evaluator of the reference semantics table of
// DESIGN.md (decide.go), and the checks are the rules of DESIGN-NOTES.md
// (predict.go). A test holds the evaluator to every catalogue cell.
package mutation
