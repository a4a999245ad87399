package mutation

import "time"

// Behaviour is how a faulty reference client departs from the correct one,
// in terms the prediction understands. The zero value is the correct client.
type Behaviour struct {
	// Verifier defects (seed 000 §5.5 semantics with one input changed).
	AcceptAny    bool // every server certificate is accepted
	SkipName     bool // the host-name check always passes
	SkipValidity bool // notBefore/notAfter always pass
	UsageAs3     bool // /0/x/15 read as 3 DANE-EE
	IgnoreSPK    bool // /0/x/4 read as empty

	// Wire defects.
	SNI        SNIMode
	ExtraSuite bool // one implemented suite beyond /0/x/16 on offer (never a broken one)
	NullSuite  bool // TLS_NULL_WITH_NULL_NULL on offer: a broken suite
	NoCID      bool // no Connection ID, even when asked
	NoResume   bool // every handshake a full one

	// Process defects.
	CrashAfterHandshake bool // SIGKILL once a handshake completes
	ExitAtStart         bool // exit 0 before any datagram
	// Security Mode 4 defects (est.go); they touch nothing else.
	ESTBeforeFinish bool // one enrollment attempt before bootstrapping
	ESTReuseKey     bool // the CSR carries the bootstrap certificate's key
	ESTIgnoreCrts   bool // mode 4 connections without the /crts anchors
	ESTNewSubject   bool // the renewal CSR names another Subject
}

// est reports whether b is made of Security Mode 4 defects only.
func (b Behaviour) est() bool {
	e := Behaviour{ESTBeforeFinish: b.ESTBeforeFinish, ESTReuseKey: b.ESTReuseKey, ESTIgnoreCrts: b.ESTIgnoreCrts, ESTNewSubject: b.ESTNewSubject}
	return b == e && e != Behaviour{}
}

// SNIMode is what goes into server_name.
type SNIMode int

const (
	SNIRight     SNIMode = iota // /0/x/14, else the URI host; never an IP literal
	SNINone                     // never any
	SNIIPLiteral                // the reference name, an IP literal too
)

// Fault is one row of the table: a client flag, what it does, and what
// the prediction must assume about it.
type Fault struct {
	Name    string
	Meaning string
	Does    Behaviour
	// Control areas run beside those holding the expected FAILs, to show
	// the fault fails nothing it should not.
	Control []string
	// Flags are extra client flags the fault needs beside --fault.
	Flags []string
}

// Table holds every fault of `lwm2m-conform client --fault`.
var Table = []Fault{
	{Name: "accept-any", Meaning: "accepts every server certificate",
		Does: Behaviour{AcceptAny: true}, Control: []string{"psk"}},
	{Name: "skip-hostname", Meaning: "never checks the server's name against SNI or the URI host",
		Does: Behaviour{SkipName: true}, Control: []string{"validity"}},
	{Name: "skip-validity", Meaning: "never checks notBefore/notAfter",
		Does: Behaviour{SkipValidity: true}, Control: []string{"sni"}},
	{Name: "ignore-usage", Meaning: "treats every Certificate Usage as 3 DANE-EE",
		Does: Behaviour{UsageAs3: true}, Control: []string{"ciphers"}},
	{Name: "ignore-spk", Meaning: "treats the Server Public Key as empty",
		Does: Behaviour{IgnoreSPK: true}, Control: []string{"resumption"}},
	{Name: "sni-ip-literal", Meaning: "sends an IP-literal URI host as SNI",
		Does: Behaviour{SNI: SNIIPLiteral}, Control: []string{"ciphers"}},
	{Name: "omit-sni", Meaning: "never sends SNI",
		Does: Behaviour{SNI: SNINone}, Control: []string{"ciphers"}},
	{Name: "extra-suites", Meaning: "offers one implemented suite more than /0/x/16 lists",
		Does: Behaviour{ExtraSuite: true}, Control: []string{"psk"}},
	{Name: "weak-suite", Meaning: "offers TLS_NULL_WITH_NULL_NULL too",
		Does: Behaviour{NullSuite: true}, Control: []string{"psk"}},
	{Name: "no-cid", Meaning: "never negotiates a Connection ID",
		Does: Behaviour{NoCID: true}, Control: []string{"resumption"}},
	{Name: "no-resume", Meaning: "never resumes a session",
		Does: Behaviour{NoResume: true}, Control: []string{"ciphers"}},
	// Its FAILs are in every area: the reject cells it still passes are
	// the control.
	{Name: "crash-after-handshake", Meaning: "dies by SIGKILL right after the handshake",
		Does: Behaviour{CrashAfterHandshake: true}},
	// A late but correct client fails nothing; the areas where timing
	// matters are run. The delay is set from the profile (SlowDelay).
	{Name: "slow", Meaning: "sends every handshake datagram late",
		Control: []string{"retransmission", "sni", "psk"}},
	{Name: "exit-at-start", Meaning: "exits with status 0 before any network activity",
		Does: Behaviour{ExitAtStart: true}},
	// The EST faults act in Security Mode 4 only: the est cases they do
	// not fail are the control.
	{Name: "est-before-finish", Meaning: "makes one EST enrollment attempt before bootstrapping",
		Does: Behaviour{ESTBeforeFinish: true}},
	{Name: "est-reuse-bootstrap-key", Meaning: "enrols the bootstrap certificate's key",
		Does: Behaviour{ESTReuseKey: true}},
	{Name: "est-ignore-crts", Meaning: "never installs the /crts anchors for mode 4 connections",
		Does: Behaviour{ESTIgnoreCrts: true}},
	{Name: "est-new-subject", Meaning: "re-enrols with another Subject",
		Does: Behaviour{ESTNewSubject: true}},
}

// Lookup returns the row of a fault.
func Lookup(name string) (Fault, bool) {
	for _, f := range Table {
		if f.Name == name {
			return f, true
		}
	}
	return Fault{}, false
}

// SlowDelay is the slow fault's delay for a profile: a quarter of the
// client's declared retransmission timer, so the delay alone never makes
// it retransmit and stays far inside the harness's silence bound
// (2 × flight_interval + 1 s). A client this late is still correct.
func SlowDelay(flightInterval time.Duration) time.Duration { return flightInterval / 4 }
