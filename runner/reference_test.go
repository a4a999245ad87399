package runner

import (
	"context"
	"runtime"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func referenceRunner(t testing.TB) *Runner {
	return &Runner{PKI: testPKI(t), Adapter: sut.NewReference(sut.ReferenceOptions{})}
}

// A rejection is decided by the SUT's alert, never by waiting for silence.
func TestReferenceRejectionIsDecidedByItsAlert(t *testing.T) {
	c, _ := testFixtures(t).Catalogue.Get("certusage/u3/spk-other-leaf/ts-absent/chain-leaf-int")
	res := referenceRunner(t).Run(context.Background(), c)
	if res.Verdict != verdict.Pass || res.Observation.Alert != "bad_certificate" {
		t.Fatalf("verdict %s observation %+v", res.Verdict, res.Observation)
	}
}

func TestReferenceAcceptanceWithoutValidationIsWarn(t *testing.T) {
	c, _ := testFixtures(t).Catalogue.Get("certusage/u3/spk-empty/ts-absent/chain-leaf")
	res := referenceRunner(t).Run(context.Background(), c)
	if res.Verdict != verdict.Warn || res.Observation.Outcome != verdict.Accepted {
		t.Fatalf("verdict %s observation %+v", res.Verdict, res.Observation)
	}
}

// BenchmarkCatalogueReference runs the certusage, sni and validity areas
// against the in-process reference client, as `make conformance` does.
func BenchmarkCatalogueReference(b *testing.B) {
	var cases []catalog.Case
	for _, a := range []string{"certusage", "sni", "validity"} {
		cases = append(cases, testFixtures(b).Catalogue.Select(a)...)
	}
	r := referenceRunner(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, res := range r.RunAll(context.Background(), cases, 2*runtime.NumCPU(), nil) {
			if res.Verdict == verdict.Fail {
				b.Fatalf("%s: %s", res.Case.ID, res.Reason)
			}
		}
	}
	b.ReportMetric(float64(len(cases)), "cases/op")
}

func benchCase(b *testing.B, id string) {
	c, ok := testFixtures(b).Catalogue.Get(id)
	if !ok {
		b.Fatal(id)
	}
	r := referenceRunner(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := r.Run(context.Background(), c); res.Verdict == verdict.Fail {
			b.Fatal(res.Reason)
		}
	}
}

func BenchmarkCaseAccepted(b *testing.B) {
	benchCase(b, "certusage/u0/spk-root/ts-root/chain-leaf-int")
}

func BenchmarkCaseRejected(b *testing.B) {
	benchCase(b, "certusage/u0/spk-int/ts-root/chain-leaf-int")
}
