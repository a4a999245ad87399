package interop

import (
	"fmt"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// evidenceEnv names the directory where the Leshan peers keep their
// working directories (output.log: the whole JVM or container log, and
// the files they were given); unset, they use temporary ones.
const evidenceEnv = "LWM2M_CONFORM_INTEROP_EVIDENCE"

// evidenceDir is a peer's working directory under evidenceEnv, emptied
// first; "" without evidenceEnv.
func evidenceDir(name string) string {
	GinkgoHelper()
	root := os.Getenv(evidenceEnv)
	if root == "" {
		return ""
	}
	dir := filepath.Join(root, name)
	Expect(os.RemoveAll(dir)).To(Succeed())
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	return dir
}

// Every spec carries what the shared Leshan servers printed while it ran
// (shown when it fails; always in the JSON and JUnit reports).
var _ = BeforeEach(func() {
	type mark struct {
		name string
		s    *leshan.Server
		at   int64
	}
	var marks []mark
	for name, s := range map[string]*leshan.Server{"cid on": leshanOn, "cid off": leshanOff} {
		if s != nil {
			marks = append(marks, mark{name, s, s.OutputMark()})
		}
	}
	DeferCleanup(func() {
		for _, m := range marks {
			if out := m.s.OutputSince(m.at); out != "" {
				AddReportEntry(fmt.Sprintf("Leshan server (%s, %s mode) output", m.name, mode), out, ReportEntryVisibilityFailureOrVerbose)
			}
		}
	})
})
