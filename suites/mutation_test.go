package suites

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/mutation"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

const mutationBase = "fixtures/sut/reference-exec.yaml"

// mutationParallel: a case mostly waits (process start, the exit drain),
// so more workers than cores shorten the run; many more starve the
// handshakes of CPU until a slow client reads as a silent rejection.
var mutationParallel = 4 * runtime.NumCPU()

// Every verdict can come out FAIL: each fault of the reference client,
// run as a separate process through reference-exec's command line plus
// --fault=NAME, fails exactly the cases mutation.Predict computes from
// the catalogue and the fault's meaning — same outcome, same failed
// checks — and nothing else in the areas run.
var _ = Describe("mutation: each client fault fails exactly its computed cases", Label("mutation"), Ordered, ContinueOnFailure, func() {
	var (
		pki     mutation.PKI
		dir     string
		started time.Time
		summary []string
	)
	BeforeAll(func() {
		started = time.Now()
		if os.Getenv("LWM2M_CONFORM_BIN") == "" {
			bin := filepath.Join(GinkgoT().TempDir(), "lwm2m-conform")
			build := exec.Command("go", "build", "-o", bin, "./cmd/lwm2m-conform")
			build.Dir = repoRoot
			out, err := build.CombinedOutput()
			Expect(err).NotTo(HaveOccurred(), string(out))
			GinkgoT().Setenv("LWM2M_CONFORM_BIN", bin)
		}
		var err error
		pki, err = mutation.NewPKI(fx.Worlds)
		Expect(err).NotTo(HaveOccurred())
		dir = GinkgoT().TempDir()
	})

	for _, f := range mutation.Table {
		It(f.Name, func(ctx SpecContext) {
			areas, err := mutation.Areas(pki, f, fx.Catalogue.Select())
			Expect(err).NotTo(HaveOccurred())
			cases := casesIn(f.Does, areas)
			want, err := mutation.Expected(pki, f.Does, cases)
			Expect(err).NotTo(HaveOccurred())

			begin := time.Now()
			r := newRunner(faultProfile(dir, f))
			results := r.RunAll(ctx, cases, mutationParallel, nil)
			took := time.Since(begin).Round(time.Millisecond)

			exp, obs := map[string]int{}, map[string]int{}
			var wrong []string
			for _, res := range results {
				w := want[res.Case.ID]
				got := mutation.Prediction{Outcome: res.Observation.Outcome, Failed: res.FailedChecks()}
				if w.Fails() {
					exp[failKey(w)]++
				}
				if res.Verdict == verdict.Fail {
					obs[failKey(got)]++
				}
				switch {
				case res.Verdict == verdict.Skip:
					wrong = append(wrong, res.Case.ID+": skipped ("+res.Reason+"), expected "+failKey(w))
				case got.Outcome != w.Outcome || !sameChecks(got.Failed, w.Failed):
					wrong = append(wrong, fmt.Sprintf("%s: observed %s, expected %s — %s", res.Case.ID, failKey(got), failKey(w), res.Reason))
				}
			}
			line := fmt.Sprintf("%-22s %3d cases in %v: expected %d FAIL [%s], observed %d [%s], equal %v (%s)",
				f.Name, len(cases), areas, total(exp), breakdown(exp), total(obs), breakdown(obs), len(wrong) == 0, took)
			fmt.Fprintln(GinkgoWriter, line)
			summary = append(summary, line)
			AddReportEntry("mutation "+f.Name, struct {
				Fault, Meaning string
				Areas          []string
				Cases          int
				Expected       int
				Observed       int
				Equal          bool
				ExpectedBy     map[string]int
				ObservedBy     map[string]int
				Wall           string
			}{f.Name, f.Meaning, areas, len(cases), total(exp), total(obs), len(wrong) == 0, exp, obs, took.String()})
			Expect(wrong).To(BeEmpty(), "fault %s: cases whose outcome or failed checks differ from the prediction", f.Name)
		}, SpecTimeout(5*time.Minute))
	}

	AfterAll(func() {
		wall := time.Since(started).Round(time.Millisecond)
		fmt.Fprintf(GinkgoWriter, "mutation: %d faults in %s\n%s\n", len(summary), wall, strings.Join(summary, "\n"))
		AddReportEntry("mutation wall time", wall.String())
	})
})

// casesIn returns the cases of the areas modelled for b, in catalogue
// order.
func casesIn(b mutation.Behaviour, areas []string) []catalog.Case {
	var out []catalog.Case
	for _, c := range fx.Catalogue.Select() {
		if slices.Contains(areas, c.Area) && mutation.Modelled(b, c) {
			out = append(out, c)
		}
	}
	return out
}

// faultProfile writes reference-exec's profile with --fault=NAME (and the
// fault's flags) appended to its command line: the same client, broken on
// purpose in one way.
func faultProfile(dir string, f mutation.Fault) string {
	GinkgoHelper()
	base := filepath.Join(repoRoot, mutationBase)
	data, err := os.ReadFile(base)
	Expect(err).NotTo(HaveOccurred())
	flags := append([]string{"--fault=" + f.Name}, f.Flags...)
	if f.Name == "slow" {
		p, err := sut.LoadProfile(base)
		Expect(err).NotTo(HaveOccurred())
		flags = append(flags, "--fault-delay="+mutation.SlowDelay(p.Capabilities.FlightInterval).String())
	}
	var doc yaml.Node
	Expect(yaml.Unmarshal(data, &doc)).To(Succeed())
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch v := m.Content[i+1]; m.Content[i].Value {
		case "name":
			v.Value = "reference-exec-" + f.Name
		case "description":
			v.Value = "Deliberately broken: the reference client with --fault=" + f.Name + " (" + f.Meaning + ")."
		case "command":
			for _, a := range flags {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: a})
			}
		}
	}
	out, err := yaml.Marshal(&doc)
	Expect(err).NotTo(HaveOccurred())
	path := filepath.Join(dir, "reference-exec-"+f.Name+".yaml")
	Expect(os.WriteFile(path, out, 0o644)).To(Succeed())
	return path
}

// failKey names an outcome with its failed checks, e.g.
// "accepted: decision".
func failKey(p mutation.Prediction) string {
	if !p.Fails() {
		return string(p.Outcome) + ": no failed check"
	}
	c := slices.Clone(p.Failed)
	sort.Strings(c)
	return string(p.Outcome) + ": " + strings.Join(c, "+")
}

func sameChecks(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// breakdown renders counts by outcome and failed checks, e.g.
// "30 rejected: decision; 56 accepted: decision".
func breakdown(m map[string]int) string {
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
