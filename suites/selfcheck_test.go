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

	// A client that refuses keys over 32 bytes (as an Mbed TLS 2.x build
	// with MBEDTLS_PSK_MAX_LEN 32) and declares it. RFC 4279 §5.3 makes 64
	// octets the minimum every implementation takes, so 33..64 fail as
	// refused on accept cells; longer keys pass as clean failures, because
	// the 32-byte key shows the same client working.
	It("judges PSK lengths against the RFC minimum and the declared max_psk_len", func(ctx SpecContext) {
		want := map[string]verdict.Outcome{
			"psk/key-len-1": verdict.Accepted, "psk/key-len-16": verdict.Accepted, "psk/key-len-32": verdict.Accepted,
			"psk/key-len-33": verdict.Refused, "psk/key-len-48": verdict.Refused, "psk/key-len-64": verdict.Refused,
			"psk/key-len-65": verdict.Refused, "psk/key-len-128": verdict.Refused, "psk/key-len-256": verdict.Refused,
		}
		failing := map[string]bool{"psk/key-len-33": true, "psk/key-len-48": true, "psk/key-len-64": true}
		r := newRunner("fixtures/sut/reference-psk32.yaml")
		for _, res := range r.RunAll(ctx, fx.Catalogue.Select("psk"), 2*runtime.NumCPU(), nil) {
			if w, ok := want[res.Case.ID]; ok {
				Expect(res.Observation.Outcome).To(Equal(w), res.Case.ID+": "+res.Observation.Detail)
			}
			if failing[res.Case.ID] {
				Expect(res.Verdict).To(Equal(verdict.Fail), res.Case.ID+": "+res.Reason)
				continue
			}
			Expect(res.Verdict).To(Equal(verdict.Pass), res.Case.ID+": "+res.Reason)
		}
	})
})
