package client

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Fault is a deliberate defect of the reference client (Options.Faults,
// `client --fault NAME`). Each one breaks one behaviour that a harness check
// judges, so that running the client with it shows the check can fail.
type Fault string

const (
	FaultAcceptAny    Fault = "accept-any"
	FaultSkipHostname Fault = "skip-hostname"
	FaultSkipValidity Fault = "skip-validity"
	FaultIgnoreUsage  Fault = "ignore-usage"
	FaultIgnoreSPK    Fault = "ignore-spk"
	FaultSNIIPLiteral Fault = "sni-ip-literal"
	FaultOmitSNI      Fault = "omit-sni"
	FaultExtraSuites  Fault = "extra-suites"
	FaultWeakSuite    Fault = "weak-suite"
	FaultNoCID        Fault = "no-cid"
	FaultNoResume     Fault = "no-resume"
	FaultCrash        Fault = "crash-after-handshake"
	FaultSlow         Fault = "slow"
	FaultExitAtStart  Fault = "exit-at-start"
	// Security Mode 4 (EST) faults: est_faults.go.
	FaultESTBeforeFinish Fault = "est-before-finish"
	FaultESTReuseBSKey   Fault = "est-reuse-bootstrap-key"
	FaultESTIgnoreCrts   Fault = "est-ignore-crts"
	FaultESTNewSubject   Fault = "est-new-subject"
)

// FaultInfo is one row of the fault table.
type FaultInfo struct {
	Name    Fault
	Meaning string
	// Verifier marks faults that weaken server authentication: a server
	// accepted under one of them is never reported as validated.
	Verifier bool
}

// faultTable is every fault with its meaning, in the order help lists them.
var faultTable = []FaultInfo{
	{FaultAcceptAny, "accept every server certificate, whatever the verifier decides", true},
	{FaultSkipHostname, "verifier skips the host-name check (SNI or URI host against SAN/CN)", true},
	{FaultSkipValidity, "verifier skips the certificate validity-period checks (notBefore/notAfter)", true},
	{FaultIgnoreUsage, "treat every Certificate Usage (/0/x/15) as 3 DANE-EE", true},
	{FaultIgnoreSPK, "ignore the Server Public Key (/0/x/4), as if it were empty", true},
	{FaultSNIIPLiteral, "send an IP-literal URI host as SNI (in the initial, cookie-less ClientHello)", false},
	{FaultOmitSNI, "never send SNI", false},
	{FaultExtraSuites, "offer one more implemented cipher suite than /0/x/16 lists", false},
	{FaultWeakSuite, "offer TLS_NULL_WITH_NULL_NULL (0x0000) too; it is never negotiated", false},
	{FaultNoCID, "never negotiate a DTLS Connection ID, even when asked to", false},
	{FaultNoResume, "never resume a session (no session store, no session_id offered)", false},
	{FaultCrash, "die by SIGKILL right after the DTLS handshake, before Register (in-process: end with a simulated-SIGKILL error)", false},
	{FaultSlow, "send every handshake datagram late by the fault delay (--fault-delay)", false},
	{FaultExitAtStart, "exit with status 0 at start, before any network activity", false},
	{FaultESTBeforeFinish, "EST: one enrollment attempt (/crts, /sen) on the bootstrap account's endpoint before bootstrapping, so before Bootstrap-Finish", false},
	{FaultESTReuseBSKey, "EST: enrol the bootstrap certificate's key (/0/x/5 of the bootstrap account) instead of a fresh key pair", false},
	{FaultESTIgnoreCrts, "EST: never install the /crts anchors as the trust store of mode 4 connections (they keep the previous trust; the answers are still checked against them)", false},
	{FaultESTNewSubject, "EST: re-enrol (/sren) with a different Subject than the certificate being renewed", false},
}

// DefaultFaultDelay is the slow fault's delay when none is given.
const DefaultFaultDelay = 300 * time.Millisecond

// KnownFaults returns the fault table.
func KnownFaults() []FaultInfo { return slices.Clone(faultTable) }

// CheckFaults reports the first unknown name, listing the known ones.
func CheckFaults(names []string) error {
	_, err := parseFaults(names)
	return err
}

// faultSet is the active faults.
type faultSet map[Fault]bool

func parseFaults(names []string) (faultSet, error) {
	s := faultSet{}
	for _, n := range names {
		f := Fault(strings.TrimSpace(n))
		if _, ok := faultInfo(f); !ok {
			return nil, fmt.Errorf("unknown fault %q; known faults: %s", n, strings.Join(faultNames(faultTable), ", "))
		}
		s[f] = true
	}
	return s, nil
}

func faultInfo(f Fault) (FaultInfo, bool) {
	i := slices.IndexFunc(faultTable, func(fi FaultInfo) bool { return fi.Name == f })
	if i < 0 {
		return FaultInfo{}, false
	}
	return faultTable[i], true
}

func faultNames(rows []FaultInfo) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = string(r.Name)
	}
	return out
}

func (s faultSet) has(f Fault) bool { return s[f] }

// active lists the active faults in table order.
func (s faultSet) active() []FaultInfo {
	var out []FaultInfo
	for _, fi := range faultTable {
		if s[fi.Name] {
			out = append(out, fi)
		}
	}
	return out
}

// verifierFaults names the active faults that weaken the verifier, "" if
// none.
func (s faultSet) verifierFaults() string {
	var names []string
	for _, fi := range s.active() {
		if fi.Verifier {
			names = append(names, string(fi.Name))
		}
	}
	return strings.Join(names, ",")
}

// warnFaults is the loud line at start that names every active fault.
func (c *Client) warnFaults() {
	act := c.faults.active()
	if len(act) == 0 {
		return
	}
	meanings := make([]string, len(act))
	for i, fi := range act {
		meanings[i] = string(fi.Name) + ": " + fi.Meaning
	}
	c.log.Warn("DELIBERATELY BROKEN CLIENT: mutation faults active; results prove only that the harness can fail",
		"faults", strings.Join(faultNames(act), ","), "meaning", strings.Join(meanings, "; "))
}

// CrashError ends Run for the crash-after-handshake fault when the process
// is not killed (in-process, Options.Die nil). Signal makes the harness
// judge it as a death by signal, as it judges a SIGKILLed exec client.
type CrashError struct{ Server string }

func (e *CrashError) Error() string {
	return fmt.Sprintf("fault %s: simulated SIGKILL right after the DTLS handshake with %s", FaultCrash, e.Server)
}

// Signal names the signal the crash stands for.
func (e *CrashError) Signal() string { return "killed (simulated in-process SIGKILL)" }

func isCrash(err error) bool {
	var ce *CrashError
	return errors.As(err, &ce)
}
