package est

import (
	"strconv"
	"time"

	"github.com/plgd-dev/go-coap/v3/net/blockwise"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
)

func itoa(n int) string { return strconv.Itoa(n) }

func optBlocks64() udp.Option { return options.WithBlockwise(true, blockwise.SZX64, 5*time.Second) }
