package runner

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// execRunner builds a runner around an inline exec profile declaring
// short timers (200 ms flight timer, start 1 s, handshake 3 s, case 6 s).
func execRunner(t *testing.T, command string) *Runner {
	t.Helper()
	p := filepath.Join(t.TempDir(), "p.yaml")
	// The last argument names every value a certificate case passes (bash
	// takes it as $0), so no case is skipped as never provisioned.
	yaml := "name: misbehaving\ncommand: [bash, -c, " + quote(command) + ", '{{.ClientCertDER}}{{.ClientKeyDER}}{{.ServerCertDER}}{{.TrustStorePEM}}{{.Usage}}{{.SNI}}{{.PSKIdentity}}{{.PSKKeyHex}}']\n" +
		"capabilities: {cert_usage: true, real_time_clock: true, sni: true, max_psk_len: 64, flight_interval: 200ms}\n" +
		"timeouts: {start: 1s, handshake: 3s, case: 6s}\n"
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	prof, err := sut.LoadProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{PKI: testPKI(t), Adapter: sut.NewExec(prof)}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Misbehaving SUTs each get the outcome of what they did, and a FAIL.
func TestMisbehavingSUTs(t *testing.T) {
	for _, tc := range []struct {
		name, command string
		outcome       verdict.Outcome
		detail        string
	}{
		// A signal is a crash, never a rejection; its status is kept.
		{"killed by a signal at start", "echo segfault in tls stack >&2; kill -SEGV $$", verdict.Crashed, "signal"},
		// A clean error exit before any handshake refuses the provisioning,
		// but nothing shows this SUT working: inconclusive.
		{"error exit without proof", "echo cannot use this provisioning >&2; exit 3", verdict.Inconclusive, "working"},
		{"clean exit without connecting", "exit 0", verdict.Error, "without starting a handshake"},
		// Running out of the declared start bound is a timeout.
		{"never connects", "sleep 30", verdict.Timeout, "start bound"},
		{"sends garbage", `for i in 1 2 3; do head -c 200 /dev/urandom > /dev/udp/{{.ServerHost}}/{{.ServerPort}}; done; printf '\x16\xfe\xfd\x00\x00' > /dev/udp/{{.ServerHost}}/{{.ServerPort}}; sleep 30`, verdict.Timeout, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := execRunner(t, tc.command).Run(context.Background(), acceptCase(t))
			if res.Observation.Outcome != tc.outcome || !strings.Contains(res.Observation.Detail+res.Observation.Exit, tc.detail) || res.Verdict != verdict.Fail {
				t.Fatalf("observation %+v, verdict %s", res.Observation, res.Verdict)
			}
		})
	}
}

func TestCrashKeepsItsOutput(t *testing.T) {
	res := execRunner(t, "echo segfault in tls stack >&2; kill -SEGV $$").Run(context.Background(), acceptCase(t))
	if !strings.Contains(res.SUTOutput, "segfault in tls stack") || res.Observation.Exit != "signal: segmentation fault" {
		t.Fatalf("exit %q, output %q", res.Observation.Exit, res.SUTOutput)
	}
}

// A client that sends its ClientHellos and then goes quiet is a silent
// rejection, decided by its declared timer rather than the case bound.
func TestSilenceAfterServerFlightIsASilentRejection(t *testing.T) {
	r := &Runner{PKI: testPKI(t), Adapter: muteClient{}, CaseTimeout: 10 * time.Second}
	start := time.Now()
	res := r.Run(context.Background(), acceptCase(t))
	if res.Observation.Outcome != verdict.Rejected || !res.Observation.Silent || res.Observation.DecidedBy != "silence" {
		t.Fatalf("observation %+v", res.Observation)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("silence must be decided by the SUT's timer, took %s", time.Since(start))
	}
}

func acceptCase(t *testing.T) catalog.Case {
	t.Helper()
	c, ok := testFixtures(t).Catalogue.Get("certusage/u3/spk-leaf/ts-absent/chain-leaf-int")
	if !ok {
		t.Fatal("case missing")
	}
	return c
}

// muteClient is a SUT that starts a real pion handshake but drops every
// datagram after its second ClientHello (the one with the cookie).
type muteClient struct{}

func (muteClient) Name() string { return "mute" }
func (muteClient) Capabilities() sut.Capabilities {
	return sut.Capabilities{CertUsage: true, FlightInterval: 200 * time.Millisecond}
}
func (muteClient) Baseline(string) (sut.Deviation, bool) { return sut.Deviation{}, false }
func (muteClient) Start(ctx context.Context, t sut.Target) (sut.Instance, error) {
	raddr, err := net.ResolveUDPAddr("udp", strings.TrimPrefix(t.ServerURI, "coaps://"))
	if err != nil {
		return nil, err
	}
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	m := &muteInstance{done: make(chan struct{})}
	ctx, m.cancel = context.WithCancel(ctx)
	go func() {
		defer close(m.done)
		conn := &dropAfter{PacketConn: pc, n: 2}
		c, err := dtls.ClientWithContext(ctx, conn, raddr, &dtls.Config{InsecureSkipVerify: true})
		if err == nil {
			c.Close()
		}
	}()
	return m, nil
}

type muteInstance struct {
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func (m *muteInstance) Stop() error           { m.once.Do(m.cancel); <-m.done; return nil }
func (m *muteInstance) Done() <-chan struct{} { return make(chan struct{}) }
func (m *muteInstance) Err() error            { return nil }
func (m *muteInstance) Output() string        { return "" }
func (m *muteInstance) Command() string       { return "" }

// dropAfter sends the first n datagrams and silently drops the rest.
type dropAfter struct {
	net.PacketConn
	mu sync.Mutex
	n  int
}

func (d *dropAfter) WriteTo(b []byte, a net.Addr) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n == 0 {
		return len(b), nil
	}
	d.n--
	return d.PacketConn.WriteTo(b, a)
}

// An interrupted run reports the cases it never finished as NOT RUN,
// never as a failure of the client.
func TestInterruptedRunSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := referenceRunner(t).RunAll(ctx, testFixtures(t).Catalogue.Select("validity"), 2, nil)
	for _, r := range res {
		if r.Case.ID == "" || r.Verdict != verdict.NotRun || r.Observation.Outcome != "" || len(r.Checks) > 0 {
			t.Fatalf("%+v", r)
		}
	}
}

// A client that does nothing is never credited with a clean failure: an
// over-long key counts as refused only when the same run shows the SUT
// connecting with the longest key within its limit.
func TestOverLongKeyNeedsProofOfLife(t *testing.T) {
	r := execRunner(t, "sleep 100")
	r.Catalog = testFixtures(t).Catalogue.Select("psk")
	c, _ := testFixtures(t).Catalogue.Get("psk/key-len-128")
	res := r.Run(context.Background(), c)
	if res.Observation.Outcome != verdict.Inconclusive || res.Verdict != verdict.Fail || !strings.Contains(res.Observation.Detail, "psk/key-len-64") {
		t.Fatalf("%s %s: %s", res.Verdict, res.Observation, res.Observation.Detail)
	}
}

// The control of a refused provisioning is the plainest accept case of the
// mode: DANE-EE with the server's certificate, no trust store needed.
func TestModeControlIsThePlainestAcceptCase(t *testing.T) {
	r := referenceRunner(t)
	r.Catalog = testFixtures(t).Catalogue.Select()
	c, _ := testFixtures(t).Catalogue.Get("certusage/u0/spk-root/ts-absent/chain-leaf-int")
	got := r.modeControl(c)
	if got.SUT.Usage != 3 || got.SUT.ServerPublicKey == "" || got.SUT.TrustStore != nil || got.Expect != "accept" {
		t.Fatalf("control %s: %+v", got.ID, got.SUT)
	}
}

// A PSK-only client skips certificate cases, with the reason.
func TestModesSkipOtherSecurityModes(t *testing.T) {
	caps := sut.Capabilities{Modes: []string{"psk"}, CertUsage: true, RealTimeClock: true, SNI: true}
	if why := skipReason(caps, acceptCase(t)); !strings.Contains(why, "security mode cert") {
		t.Fatalf("cert case: %q", why)
	}
	c, _ := testFixtures(t).Catalogue.Get("psk/wrong-key")
	if why := skipReason(caps, c); why != "" {
		t.Fatalf("psk case skipped: %q", why)
	}
}
