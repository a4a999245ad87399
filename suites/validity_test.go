package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("validity", Label("validity"), func() { specsFor("validity") })
