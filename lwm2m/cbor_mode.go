package lwm2m

import (
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// cborDecMode is the decoder every CBOR format uses: duplicate map keys and
// invalid UTF-8 are errors, and nesting and element counts are capped well
// below what the library allows so hostile input stays cheap.
var cborDecMode = sync.OnceValues(func() (cbor.DecMode, error) {
	return cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  16,
		MaxArrayElements: 65536,
		MaxMapPairs:      4096,
		UTF8:             cbor.UTF8RejectInvalid,
		TimeTagToAny:     cbor.TimeTagToTime,
	}.DecMode()
})

// cborEncMode writes definite lengths, keeps floats at 64 bits and sorts
// map keys so equal records give equal bytes.
var cborEncMode = sync.OnceValues(func() (cbor.EncMode, error) {
	return cbor.EncOptions{Sort: cbor.SortCoreDeterministic}.EncMode()
})

func cborUnmarshal(data []byte, v any) error {
	dm, err := cborDecMode()
	if err != nil {
		return fmt.Errorf("cbor decoder setup: %w", err)
	}
	return dm.Unmarshal(data, v)
}

func cborMarshal(v any) ([]byte, error) {
	em, err := cborEncMode()
	if err != nil {
		return nil, fmt.Errorf("cbor encoder setup: %w", err)
	}
	return em.Marshal(v)
}

func cborTypeName(item any) string {
	switch item.(type) {
	case nil:
		return "null"
	case string:
		return "text string"
	case []byte:
		return "byte string"
	case uint64, int64, big.Int, *big.Int:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		return "date"
	case []any:
		return "array"
	case map[any]any:
		return "map"
	case cbor.Tag, cbor.RawTag:
		return "tag"
	}
	return fmt.Sprintf("%T", item)
}
