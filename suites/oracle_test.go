package suites

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// oracleParallel: cases run at once per profile. A case mostly waits for
// a short-lived process, so two per core keep both cores busy.
const oracleParallel = 4

// Independent DTLS stacks as handshake-only SUTs: OpenSSL 3.0's s_client
// (DANE for the four usages, PKIX, PSK; fixtures/sut/openssl-dane.yaml)
// and GnuTLS 3.7's gnutls-cli (PKIX, PSK; fixtures/sut/gnutls.yaml). Over
// the x509 and psk areas every cell they run agrees with the catalogue or
// is a known deviation pinned in the profile's baseline with its reason;
// nothing else fails. The pinned cells, and cells where the stacks and
// the reference verifier part ways, are asserted literally.
var _ = Describe("oracles: third-party DTLS stacks agree with the catalogue", Label("oracle"), func() {
	It("OpenSSL s_client -dtls1_2 (openssl-dane.yaml)", func(ctx SpecContext) {
		res := runOracle(ctx, "openssl", "fixtures/sut/openssl-dane.yaml")

		By("running every case: the profile claims all these areas need")
		Expect(res).To(HaveLen(566))
		Expect(idsWith(res, verdict.Skip)).To(BeEmpty())

		By("deviating only where pinned")
		Expect(knownDeviations(res)).To(Equal([]string{
			// RFC 6698 §2.1.1 / RFC 7671 §5.4: a PKIX-TA intermediate need
			// not be in the trust store (seed 000 §5.5.1 says it must).
			"certusage/u0/spk-int/ts-root/chain-full",
			"certusage/u0/spk-int/ts-root/chain-leaf",
			"certusage/u0/spk-int/ts-root/chain-leaf-int",
			// s_client sends the DANE base domain, an IP literal, as SNI.
			"sni/ip-no-san/u0", "sni/ip-no-san/u1", "sni/ip-no-san/u2", "sni/ip-no-san/u3",
			"sni/ip-san/u0", "sni/ip-san/u1", "sni/ip-san/u2", "sni/ip-san/u3",
		}))

		Expect(observed(res,
			// DANE-TA and DANE-EE with and without a trust store.
			"certusage/u2/spk-root/ts-absent/chain-leaf-int",
			"certusage/u2/spk-int/ts-absent/chain-leaf",
			"certusage/u3/spk-leaf/ts-absent/chain-self-signed",
			"certusage/u3/spk-root/ts-root/chain-leaf-int",
			"certusage/u0/spk-leaf/ts-root/chain-leaf-int",
			"certusage/u0/spk-empty/ts-absent/chain-leaf-int",
			// A CA-issued leaf as the only trust-store entry: no anchor
			// for OpenSSL, even presented alone (the catalogue accepts
			// that one, basis unspecified: GnuTLS and Go accept it).
			"certusage/u1/spk-leaf/ts-leaf/chain-leaf-int",
			"certusage/unset/spk-empty/ts-leaf/chain-leaf",
			"certusage/u1/spk-leaf/ts-leaf/chain-self-signed",
			// An expired DANE-TA anchor is refused.
			"validity/expired-root/u2",
			"validity/expired-int/u2",
			"validity/expired-leaf/u3",
			// Names: DANE-EE skips them (-dane_ee_no_namechecks), DANE-TA
			// checks them, a wildcard matches one label.
			"sni/san-dns-mismatch/u3",
			"sni/san-dns-mismatch/u2",
			"sni/wildcard/u2",
			"sni/sni-mismatch-uri-match/u0",
			"psk/key-len-256",
			"psk/wrong-key",
			"psk/identity-non-ascii",
		)).To(Equal([]string{
			"certusage/u2/spk-root/ts-absent/chain-leaf-int: accepted",
			"certusage/u2/spk-int/ts-absent/chain-leaf: accepted",
			"certusage/u3/spk-leaf/ts-absent/chain-self-signed: accepted",
			"certusage/u3/spk-root/ts-root/chain-leaf-int: rejected bad_certificate",
			"certusage/u0/spk-leaf/ts-root/chain-leaf-int: rejected bad_certificate",
			"certusage/u0/spk-empty/ts-absent/chain-leaf-int: rejected unknown_ca",
			"certusage/u1/spk-leaf/ts-leaf/chain-leaf-int: rejected unknown_ca",
			"certusage/unset/spk-empty/ts-leaf/chain-leaf: rejected unknown_ca",
			"certusage/u1/spk-leaf/ts-leaf/chain-self-signed: accepted",
			"validity/expired-root/u2: rejected certificate_expired",
			"validity/expired-int/u2: rejected certificate_expired",
			"validity/expired-leaf/u3: accepted",
			"sni/san-dns-mismatch/u3: accepted",
			"sni/san-dns-mismatch/u2: rejected bad_certificate",
			"sni/wildcard/u2: accepted",
			"sni/sni-mismatch-uri-match/u0: rejected bad_certificate",
			"psk/key-len-256: accepted",
			"psk/wrong-key: rejected",
			"psk/identity-non-ascii: accepted",
		}))
	}, SpecTimeout(5*time.Minute))

	It("GnuTLS gnutls-cli --udp (gnutls.yaml)", func(ctx SpecContext) {
		res := runOracle(ctx, "gnutls-cli", "fixtures/sut/gnutls.yaml")

		By("running the cells it can express: no usage, no Server Public Key, and PSK")
		ran := idsWithout(res, verdict.Skip)
		Expect(ran).To(HaveLen(30))
		for _, id := range ran {
			Expect(strings.HasPrefix(id, "certusage/unset/spk-empty/") || strings.HasPrefix(id, "psk/")).To(BeTrue(), id)
		}
		Expect(res["sni/san-dns-match/pkix"].Reason).To(Equal("the SUT profile does not declare cert_usage"))
		Expect(res["certusage/unset/spk-leaf/ts-absent/chain-leaf"].Reason).To(Equal("the profile never passes the Server Public Key ({{.ServerCertPEM}} or {{.ServerCertDER}})"))

		By("deviating only where pinned: GnuTLS refuses a PSK shorter than 4 bytes")
		Expect(knownDeviations(res)).To(Equal([]string{"psk/key-len-1"}))

		Expect(observed(res,
			// A CA-issued leaf in the trust list is trusted when it is
			// the last presented certificate, not below a chain.
			"certusage/unset/spk-empty/ts-leaf/chain-leaf",
			"certusage/unset/spk-empty/ts-leaf/chain-leaf-int",
			"certusage/unset/spk-empty/ts-leaf/chain-full",
			"certusage/unset/spk-empty/ts-leaf/chain-self-signed",
			"certusage/unset/spk-empty/ts-root/chain-leaf",
			"certusage/unset/spk-empty/ts-absent/chain-self-signed",
			"psk/key-len-1",
			"psk/key-len-256",
			"psk/unknown-identity",
		)).To(Equal([]string{
			"certusage/unset/spk-empty/ts-leaf/chain-leaf: accepted",
			"certusage/unset/spk-empty/ts-leaf/chain-leaf-int: rejected bad_certificate",
			"certusage/unset/spk-empty/ts-leaf/chain-full: rejected bad_certificate",
			"certusage/unset/spk-empty/ts-leaf/chain-self-signed: accepted",
			"certusage/unset/spk-empty/ts-root/chain-leaf: rejected bad_certificate",
			"certusage/unset/spk-empty/ts-absent/chain-self-signed: accepted",
			"psk/key-len-1: rejected handshake_failure",
			"psk/key-len-256: accepted",
			"psk/unknown-identity: rejected",
		}))
	}, SpecTimeout(5*time.Minute))
})

// runOracle runs profile over the x509 and psk areas and returns the
// results by case id. It fails the spec for any FAIL outside the profile's
// baseline. A missing tool skips the spec, or fails it with CI=true.
func runOracle(ctx SpecContext, tool, profile string) map[string]verdict.Result {
	GinkgoHelper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			Fail(fmt.Sprintf("%s is not installed (CI=true: .ci/run installs it): %v", tool, err))
		}
		Skip(tool + " is not installed")
	}
	var cases []catalog.Case
	for _, area := range []string{"certusage", "sni", "validity", "psk"} {
		cases = append(cases, fx.Catalogue.Select(area)...)
	}
	started := time.Now()
	results := newRunner(profile).RunAll(ctx, cases, oracleParallel, nil)
	wall := time.Since(started)

	res := map[string]verdict.Result{}
	counts := map[verdict.Verdict]int{}
	var unexpected []string
	for _, r := range results {
		res[r.Case.ID] = r
		counts[r.Verdict]++
		if r.Verdict == verdict.Fail && r.Baseline == "" {
			unexpected = append(unexpected, r.Case.ID+": "+r.Reason+"\n    source: "+r.Case.Source)
		}
	}
	AddReportEntry(profile, fmt.Sprintf("%d cases in %s (%d at once): PASS %d, FAIL %d (%d known deviations), WARN %d, INFO %d, SKIP %d",
		len(results), wall.Round(100*time.Millisecond), oracleParallel, counts[verdict.Pass], counts[verdict.Fail],
		len(knownDeviations(res)), counts[verdict.Warn], counts[verdict.Info], counts[verdict.Skip]))
	Expect(ctx.Err()).NotTo(HaveOccurred(), "the run was interrupted")
	Expect(unexpected).To(BeEmpty(), "cells where %s disagrees with the catalogue outside its baseline", profile)
	return res
}

// knownDeviations lists, sorted, the cases the baseline excused.
func knownDeviations(res map[string]verdict.Result) []string {
	var ids []string
	for id, r := range res {
		if r.Verdict == verdict.Fail && r.Baseline != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func idsWith(res map[string]verdict.Result, v verdict.Verdict) []string {
	var ids []string
	for id, r := range res {
		if r.Verdict == v {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func idsWithout(res map[string]verdict.Result, v verdict.Verdict) []string {
	var ids []string
	for id, r := range res {
		if r.Verdict != v {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// observed renders each case's outcome, with the alert when there was one.
func observed(res map[string]verdict.Result, ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		r, ok := res[id]
		switch {
		case !ok:
			out[i] = id + ": not in the catalogue"
		case r.Observation.Alert != "":
			out[i] = fmt.Sprintf("%s: %s %s", id, r.Observation.Outcome, r.Observation.Alert)
		default:
			out[i] = fmt.Sprintf("%s: %s", id, r.Observation.Outcome)
		}
	}
	return out
}
