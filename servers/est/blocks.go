package est

import (
	"fmt"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/blockwise"
)

// blockSZX is a block size exponent (RFC 7959 §2.2): 2^(szx+4) bytes.
type blockSZX = blockwise.SZX

// szxOf maps a block size in bytes to its SZX; 0 means 1024.
func szxOf(size int) (blockSZX, error) {
	if size == 0 {
		return blockwise.SZX1024, nil
	}
	for szx := blockwise.SZX16; szx <= blockwise.SZX1024; szx++ {
		if int(szx.Size()) == size {
			return szx, nil
		}
	}
	return 0, fmt.Errorf("est: block size %d is not 16, 32, 64, 128, 256, 512 or 1024", size)
}

// block is a decoded Block1 or Block2 option.
type block struct {
	num  int64
	more bool
	szx  blockSZX
}

func (b block) size() int64 { return b.szx.Size() }

func (b block) String() string {
	m := 0
	if b.more {
		m = 1
	}
	return fmt.Sprintf("%d/%d/%d", b.num, m, b.size())
}

// blockOption reads option id from r; ok is false when r has none.
func blockOption(r *pool.Message, id message.OptionID) (b block, ok bool, err error) {
	v, err := r.GetOptionUint32(id)
	if err != nil {
		return block{}, false, nil //nolint:nilerr // absent
	}
	szx, num, more, err := blockwise.DecodeBlockOption(v)
	if err != nil || szx == blockwise.SZXBERT {
		return block{}, true, fmt.Errorf("block option %d: not a valid block (BERT is for CoAP over TCP)", v)
	}
	return block{num: num, more: more, szx: szx}, true, nil
}

func encodeBlock(b block) uint32 {
	v, _ := blockwise.EncodeBlockOption(b.szx, b.num, b.more) // szx < BERT, num < 2^20 by construction
	return v
}

// slice returns block num of body at size szx, and whether more follow;
// ok is false when num lies past the end.
func slice(body []byte, num int64, szx blockSZX) (part []byte, more, ok bool) {
	size := szx.Size()
	off := num * size
	if num < 0 || off >= int64(len(body)) && !(off == 0 && len(body) == 0) {
		return nil, false, false
	}
	end := min(off+size, int64(len(body)))
	return body[off:end], end < int64(len(body)), true
}
