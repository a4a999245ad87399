package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("certusage", Label("certusage"), func() { specsFor("certusage") })
