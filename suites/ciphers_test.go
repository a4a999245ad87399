package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("ciphers", Label("ciphers"), func() { specsFor("ciphers") })
