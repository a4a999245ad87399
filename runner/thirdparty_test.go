package runner

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// needTool skips without a third-party tool, and fails under CI=true.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
}

// OpenSSL's s_client accepts any server certificate by default. Run as a
// SUT that completes the handshake and then kills itself, it must FAIL
// every reject cell as crashed — never pass them as a silent rejection.
func TestHandshakeThenKillFailsRejectCells(t *testing.T) {
	needTool(t, "openssl")
	r := execRunner(t, `out=$(mktemp); (sleep 5 | openssl s_client -dtls1_2 -connect {{.ServerHost}}:{{.ServerPort}} -servername localhost >"$out" 2>&1) &
for i in $(seq 100); do grep -q "Cipher is" "$out" && break; sleep 0.05; done; kill -KILL $$`)
	rejects := 0
	for _, c := range testFixtures(t).Catalogue.Select("certusage") {
		if c.Expect != "reject" || c.Basis == "unspecified" || !strings.Contains(c.ID, "/u3/") || !strings.HasSuffix(c.ID, "/chain-leaf-int") {
			continue
		}
		rejects++
		res := r.Run(context.Background(), c)
		if res.Observation.Outcome != verdict.Crashed || res.Verdict != verdict.Fail || res.Observation.Exit != "signal: killed" {
			t.Errorf("%s: %s %s (%s)", c.ID, res.Verdict, res.Observation, res.Observation.Detail)
		}
	}
	if rejects < 5 {
		t.Fatalf("only %d reject cells selected", rejects)
	}
}

// A client behind a relay with 1 s of latency each way gets its true
// verdict: accepted where it accepts, rejected by its alert where it
// rejects — never a silent rejection invented by a harness timer.
func TestSlowPathGetsTheTrueVerdict(t *testing.T) {
	ref := sut.NewReference(sut.ReferenceOptions{FlightInterval: time.Second})
	r := &Runner{PKI: testPKI(t), Adapter: latency{Adapter: ref, delay: time.Second}}
	for id, want := range map[string]verdict.Outcome{
		"certusage/u3/spk-leaf/ts-absent/chain-leaf-int":       verdict.Accepted,
		"certusage/u3/spk-other-leaf/ts-absent/chain-leaf-int": verdict.Rejected,
	} {
		c, _ := testFixtures(t).Catalogue.Get(id)
		res := r.Run(context.Background(), c)
		if res.Observation.Outcome != want || want == verdict.Rejected && res.Observation.Alert != "bad_certificate" {
			t.Errorf("%s: %s (%s)", id, res.Observation, res.Observation.Detail)
		}
	}
}

// latency puts a relay delaying every datagram in front of the server.
type latency struct {
	sut.Adapter
	delay time.Duration
}

func (l latency) Capabilities() sut.Capabilities {
	c := l.Adapter.Capabilities()
	c.FlightInterval, c.FlightBackoff = time.Second, 1 // pion's timer: fixed
	return c
}

func (l latency) Start(ctx context.Context, t sut.Target) (sut.Instance, error) {
	u, err := url.Parse(t.ServerURI)
	if err != nil {
		return nil, err
	}
	server, err := net.ResolveUDPAddr("udp", net.JoinHostPort("127.0.0.1", u.Port()))
	if err != nil {
		return nil, err
	}
	front, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	back, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		front.Close()
		return nil, err
	}
	var mu sync.Mutex
	var client *net.UDPAddr
	relay := func(from, to *net.UDPConn, dst func(*net.UDPAddr) *net.UDPAddr) {
		buf := make([]byte, 65536)
		for {
			n, a, err := from.ReadFromUDP(buf)
			if err != nil {
				return
			}
			p := append([]byte(nil), buf[:n]...)
			d := dst(a)
			time.AfterFunc(l.delay, func() {
				if d != nil {
					to.WriteToUDP(p, d)
				}
			})
		}
	}
	go relay(front, back, func(a *net.UDPAddr) *net.UDPAddr { mu.Lock(); client = a; mu.Unlock(); return server })
	go relay(back, front, func(*net.UDPAddr) *net.UDPAddr { mu.Lock(); defer mu.Unlock(); return client })
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(front.LocalAddr().(*net.UDPAddr).Port))
	t.ServerURI = u.String()
	inst, err := l.Adapter.Start(ctx, t)
	if err != nil {
		front.Close()
		back.Close()
		return nil, err
	}
	go func() { <-ctx.Done(); front.Close(); back.Close() }()
	return closing{inst, front, back}, nil
}

type closing struct {
	sut.Instance
	a, b *net.UDPConn
}

func (c closing) Stop() error { c.a.Close(); c.b.Close(); return c.Instance.Stop() }
