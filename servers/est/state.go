package est

import (
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// answer is a complete response, before Block2 slicing.
type answer struct {
	code   codes.Code
	format message.MediaType
	hasCF  bool
	body   []byte
	maxAge uint32            // seconds; 0 = no Max-Age option
	fields map[string]string // what the exchange adds to its event
}

// reply is one response message as sent: an answer, or a block of one.
type reply struct {
	answer
	block1, block2 *block
	size2          int // Size2 option; 0 = none
}

// transfer identifies a block-wise transfer: one connection, one resource
// (RFC 7959 §2.3: the token may change from block to block).
type transfer struct {
	cc   *udpClient.Conn
	path string
}

// midKey identifies a message for duplicate detection (RFC 7252 §4.5).
type midKey struct {
	cc  *udpClient.Conn
	mid int32
}

// maxRemembered bounds the duplicate cache; a case sends a handful of
// requests.
const maxRemembered = 256

// state is what the server remembers between messages; guarded by
// Server.mu.
type state struct {
	uploads    map[transfer][]byte // Block1 bodies being received
	downloads  map[transfer]answer // answers being sent in Block2 blocks
	replies    map[midKey]reply    // the reply to each recent message
	order      []midKey
	discovered bool // a discovery request was answered
	issued     []Issuance
}

func newState() state {
	return state{uploads: map[transfer][]byte{}, downloads: map[transfer]answer{}, replies: map[midKey]reply{}}
}

func (st *state) remember(k midKey, r reply) {
	if _, ok := st.replies[k]; !ok {
		st.order = append(st.order, k)
	}
	st.replies[k] = r
	for len(st.order) > maxRemembered {
		delete(st.replies, st.order[0])
		st.order = st.order[1:]
	}
}
