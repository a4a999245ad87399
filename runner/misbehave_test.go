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

// execRunner builds a runner around an inline exec profile.
func execRunner(t *testing.T, command string) *Runner {
	t.Helper()
	p := filepath.Join(t.TempDir(), "p.yaml")
	yaml := "name: misbehaving\ncommand: [bash, -c, " + quote(command) + "]\ncapabilities: {cert_usage: true, real_time_clock: true, sni: true}\n"
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	prof, err := sut.LoadProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{PKI: testPKI(t), Adapter: sut.NewExec(prof), CaseTimeout: 800 * time.Millisecond, Quiet: 300 * time.Millisecond}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func TestCrashingSUTIsAnErrorWithItsOutput(t *testing.T) {
	r := execRunner(t, "echo segfault in tls stack >&2; exit 139")
	res := r.Run(context.Background(), acceptCase(t))
	if res.Observation.Outcome != verdict.Error || !strings.Contains(res.Observation.Detail, "before starting a handshake") {
		t.Fatalf("observation %+v", res.Observation)
	}
	if !strings.Contains(res.SUTOutput, "segfault in tls stack") || res.Verdict != verdict.Fail {
		t.Fatalf("verdict %s, output %q", res.Verdict, res.SUTOutput)
	}
}

func TestSUTThatNeverConnectsIsAnError(t *testing.T) {
	r := execRunner(t, "sleep 30")
	res := r.Run(context.Background(), acceptCase(t))
	if res.Observation.Outcome != verdict.Error || !strings.Contains(res.Observation.Detail, "no ClientHello") {
		t.Fatalf("observation %+v", res.Observation)
	}
}

func TestGarbageDatagramsGetAVerdictNotAPanic(t *testing.T) {
	r := execRunner(t, `for i in 1 2 3; do head -c 200 /dev/urandom > /dev/udp/{{.ServerHost}}/{{.ServerPort}}; done; printf '\x16\xfe\xfd\x00\x00' > /dev/udp/{{.ServerHost}}/{{.ServerPort}}; sleep 30`)
	res := r.Run(context.Background(), acceptCase(t))
	if res.Observation.Outcome != verdict.Error || res.Verdict != verdict.Fail {
		t.Fatalf("observation %+v verdict %s", res.Observation, res.Verdict)
	}
}

// A client that sends its ClientHellos and then goes quiet is a silent
// rejection, decided after the quiet period rather than the case timeout.
func TestSilenceAfterServerFlightIsASilentRejection(t *testing.T) {
	r := &Runner{PKI: testPKI(t), Adapter: muteClient{}, CaseTimeout: 10 * time.Second, Quiet: 300 * time.Millisecond}
	start := time.Now()
	res := r.Run(context.Background(), acceptCase(t))
	if res.Observation.Outcome != verdict.Rejected || !res.Observation.Silent {
		t.Fatalf("observation %+v", res.Observation)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("silence must be decided by the quiet period, took %s", time.Since(start))
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

func (muteClient) Name() string                   { return "mute" }
func (muteClient) Capabilities() sut.Capabilities { return sut.Capabilities{CertUsage: true} }
func (muteClient) Baseline(string) string         { return "" }
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

// An interrupted run reports the cases it never reached as skipped.
func TestInterruptedRunSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := referenceRunner(t).RunAll(ctx, testFixtures(t).Catalogue.Select("validity"), 2, nil)
	for _, r := range res {
		if r.Case.ID == "" || (r.Verdict != verdict.Skip && r.Observation.Outcome != verdict.Error) {
			t.Fatalf("%+v", r)
		}
	}
}
