package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("cid", Label("cid"), func() { specsFor("cid") })
