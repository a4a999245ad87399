package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("psk", Label("psk"), func() { specsFor("psk") })
