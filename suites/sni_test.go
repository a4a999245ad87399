package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("sni", Label("sni"), func() { specsFor("sni") })
