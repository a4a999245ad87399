package suites

import (
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/runner"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

var (
	sutFlag     = flag.String("sut", "reference", `client under test: "reference" or a SUT profile YAML (relative to the repo root)`)
	reportsFlag = flag.String("reports", "", "write junit.xml, index.html and summary.md here (default: none)")
)

// The catalogue is loaded when the spec tree is built; the PKI and the
// adapter once per Ginkgo process, in BeforeSuite.
var (
	fx       = mustLoadFixtures()
	theRun   *runner.Runner
	repoRoot = filepath.Dir(fx.Root)
)

func mustLoadFixtures() *fixtures.Fixtures {
	wd, _ := os.Getwd()
	root, ok := fixtures.Find(wd)
	if !ok {
		panic("fixtures/catalog not found above " + wd)
	}
	f, err := fixtures.Load(root)
	if err != nil {
		panic(err)
	}
	return f
}

func TestSuites(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "lwm2m-conform conformance")
}

var _ = BeforeSuite(func() {
	_, err := fx.PKI()
	Expect(err).NotTo(HaveOccurred())
	theRun = newRunner(*sutFlag)
})

func newRunner(name string) *runner.Runner {
	GinkgoHelper()
	if filepath.Ext(name) == ".yaml" && !filepath.IsAbs(name) {
		name = filepath.Join(repoRoot, name)
	}
	adapter, err := sut.Load(name, sut.ReferenceOptions{})
	Expect(err).NotTo(HaveOccurred())
	set, _ := fx.PKI()
	return &runner.Runner{
		PKI: set, Adapter: adapter, CaseTimeout: 15 * time.Second, Catalog: fx.Catalogue.Select(),
		Logger: slog.New(slog.NewTextHandler(GinkgoWriter, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
}

// specsFor declares one spec per case of an area.
func specsFor(area string) {
	for _, c := range fx.Catalogue.Select(area) {
		c := c
		It(c.ID, Label(c.Labels...), func(ctx SpecContext) {
			judge(theRun.Run(ctx, c))
		}, SpecTimeout(time.Minute))
	}
}

// judge turns a result into the spec's outcome and attaches it for the reports.
func judge(res verdict.Result) {
	GinkgoHelper()
	raw, _ := json.Marshal(res)
	AddReportEntry("result", string(raw), ReportEntryVisibilityNever)
	switch {
	case res.Verdict == verdict.Skip:
		Skip(res.Reason)
	case res.Verdict == verdict.Fail && res.Baseline == "":
		Fail(res.Case.ID + ": " + res.Reason + "\nobserved: " + res.Observation.String() + "\nsource: " + res.Case.Source)
	case res.Verdict == verdict.Warn:
		AddReportEntry("WARN", res.Reason)
	}
}

var _ = ReportAfterSuite("reports", func(r Report) {
	if *reportsFlag == "" {
		return
	}
	var results []verdict.Result
	for _, sr := range r.SpecReports {
		for _, e := range sr.ReportEntries {
			if e.Name != "result" {
				continue
			}
			var res verdict.Result
			if err := json.Unmarshal([]byte(e.Value.String()), &res); err == nil {
				results = append(results, res)
			}
		}
	}
	order := map[string]int{}
	for i, c := range fx.Catalogue.Cases {
		order[c.ID] = i
	}
	sortResults(results, order)
	Expect(report.WriteAll(*reportsFlag, report.Run{
		SUT: *sutFlag, Started: r.StartTime, Wall: r.RunTime, Results: results,
	})).To(Succeed())
})

func sortResults(rs []verdict.Result, order map[string]int) {
	sort.SliceStable(rs, func(i, j int) bool { return order[rs[i].Case.ID] < order[rs[j].Case.ID] })
}
