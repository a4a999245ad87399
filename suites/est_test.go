package suites

import . "github.com/onsi/ginkgo/v2"

// EST-coaps and Security Mode 4 (fixtures/catalog/est.yaml). The
// re-enrollment case waits for a 10 s certificate to be renewed; run the
// area with -p so it runs beside the others.
var _ = Describe("est", Label("est"), func() { specsFor("est") })
