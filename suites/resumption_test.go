package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("resumption", Label("resumption"), func() { specsFor("resumption") })
