package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// weakSuites sorts offered suites into broken (FAIL) and legacy (WARN) by
// the registry's classification.
func weakSuites(ids []uint16) (broken, legacy []uint16) {
	for _, id := range ids {
		switch dtlswire.SuiteWeakness(id).Level {
		case dtlswire.Broken:
			broken = append(broken, id)
		case dtlswire.Legacy:
			legacy = append(legacy, id)
		}
	}
	return broken, legacy
}

// findingList names each suite with why it is flagged.
func findingList(ids []uint16) string {
	var n []string
	for _, id := range ids {
		n = append(n, fmt.Sprintf("%s (0x%04X: %s)", dtlswire.CipherSuiteName(id), id, dtlswire.SuiteWeakness(id).Reason))
	}
	return "[" + strings.Join(n, ", ") + "]"
}

// findingSources joins the distinct sources of the findings.
func findingSources(ids []uint16) string {
	var src []string
	for _, id := range ids {
		if s := dtlswire.SuiteWeakness(id).Source; !slices.Contains(src, s) {
			src = append(src, s)
		}
	}
	return strings.Join(src, "; ")
}
