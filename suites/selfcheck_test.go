package suites

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// The suites must be able to fail: a client that accepts every server
// certificate (fixtures/sut/reference-insecure.yaml, run as a separate
// process) turns exactly the cells that expect a rejection into FAIL —
// except unspecified cells, which are INFO whatever happens.
var _ = Describe("self-checks through exec profiles", Label("selfcheck"), Ordered, func() {
	BeforeAll(func() {
		if os.Getenv("LWM2M_CONFORM_BIN") != "" {
			return
		}
		bin := filepath.Join(GinkgoT().TempDir(), "lwm2m-conform")
		build := exec.Command("go", "build", "-o", bin, "./cmd/lwm2m-conform")
		build.Dir = repoRoot
		out, err := build.CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), string(out))
		GinkgoT().Setenv("LWM2M_CONFORM_BIN", bin)
	})

	It("fails exactly the cells that expect a rejection", func(ctx SpecContext) {
		var cases []catalog.Case
		for _, area := range []string{"certusage", "sni", "validity"} {
			cases = append(cases, fx.Catalogue.Select(area)...)
		}
		r := newRunner("fixtures/sut/reference-insecure.yaml")
		results := r.RunAll(ctx, cases, 2*runtime.NumCPU(), nil)
		var wrong []string
		for _, res := range results {
			c := res.Case
			want := verdict.Pass
			switch {
			case c.Basis == catalog.BasisUnspecified:
				want = verdict.Info
			case c.Expect == catalog.Reject:
				want = verdict.Fail
			case c.Unvalidated:
				want = verdict.Warn
			}
			if res.Verdict != want {
				wrong = append(wrong, c.ID+": got "+string(res.Verdict)+" ("+res.Reason+"), want "+string(want))
			}
		}
		Expect(wrong).To(BeEmpty())
	}, SpecTimeout(5*time.Minute))

	// A client that refuses keys over 32 bytes (as mbed TLS with
	// MBEDTLS_PSK_MAX_LEN 32) and declares it: every psk case passes, the
	// longer keys as clean failures with the client still running.
	It("judges PSK lengths against the declared max_psk_len", func(ctx SpecContext) {
		r := newRunner("fixtures/sut/reference-psk32.yaml")
		for _, res := range r.RunAll(ctx, fx.Catalogue.Select("psk"), 2*runtime.NumCPU(), nil) {
			want := catalog.Accept
			if res.Case.SUT.PSKKeyLen > 32 || res.Case.SUT.PSKWrongKey || res.Case.SUT.PSKIdentity == "unknown-device" {
				want = catalog.Reject
			}
			Expect(res.Case.Expect).To(Equal(want), res.Case.ID)
			Expect(res.Verdict).To(Equal(verdict.Pass), res.Case.ID+": "+res.Reason)
		}
	})
})
