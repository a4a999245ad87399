package impair

import "time"

// Stats counts what the proxy received and did. Up and Down count datagrams
// received from the SUT and from the server, dropped ones included.
type Stats struct {
	Up, Down               int
	DroppedUp, DroppedDown int
	Duplicated             int
	Retransmissions        []Retransmission
}

// Retransmission is one handshake flight that its sender transmitted more
// than once, identified by its first message (type and message_seq).
// Intervals are measured between arrivals at the proxy, before any
// impairment, so they show the sender's retransmission timer.
type Retransmission struct {
	Dir        Dir
	Handshake  uint8 // dtlswire.Handshake* type of the flight's first message
	MessageSeq uint16
	Epoch      uint16
	Count      int             // retransmissions seen: len(Intervals)
	Intervals  []time.Duration // each since the previous transmission
}
