package suites

import . "github.com/onsi/ginkgo/v2"

var _ = Describe("retransmission", Label("retransmission"), func() { specsFor("retransmission") })
