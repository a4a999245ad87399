package lwm2m

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// SenML CBOR (application/senml+cbor, 112): RFC 8428 §6 integer labels,
// plus the text label "vlo" LwM2M defines for object links.

var senmlCBORLabels = map[int64]string{
	-1: "bver", -2: "bn", -3: "bt", -4: "bu", -5: "bv", -6: "bs",
	0: "n", 1: "u", 2: "v", 3: "vs", 4: "vb", 5: "s", 6: "t", 7: "ut", 8: "vd",
}

var senmlCBORKeys = func() map[string]int64 {
	m := make(map[string]int64, len(senmlCBORLabels))
	for k, v := range senmlCBORLabels {
		m[v] = k
	}
	return m
}()

func decodeSenMLCBOR(base Path, data []byte, kind KindFunc) ([]Record, error) {
	var raws []map[any]cbor.RawMessage
	if err := cborUnmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("SenML CBOR: %w", err)
	}
	srecs := make([]senmlRecord, 0, len(raws))
	for i, raw := range raws {
		sr, err := senmlFromCBOR(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		srecs = append(srecs, sr)
	}
	return senmlToRecords(base, srecs, kind)
}

type cborField struct {
	name string
	raw  cbor.RawMessage
}

// cborFields names each map entry by its SenML label, in label order so
// that errors do not depend on map iteration.
func cborFields(m map[any]cbor.RawMessage) ([]cborField, error) {
	fields := make([]cborField, 0, len(m))
	for k, raw := range m {
		var name string
		switch key := k.(type) {
		case uint64:
			if key <= 8 {
				name = senmlCBORLabels[int64(key)]
			}
		case int64:
			name = senmlCBORLabels[key]
		case string:
			if key == "vlo" {
				name = key
			} else if strings.HasSuffix(key, "_") {
				return nil, fmt.Errorf("label %q: must-understand field is not supported", key)
			}
		}
		if name != "" {
			fields = append(fields, cborField{name, raw})
		}
	}
	slices.SortFunc(fields, func(a, b cborField) int { return strings.Compare(a.name, b.name) })
	return fields, nil
}

func senmlFromCBOR(m map[any]cbor.RawMessage) (senmlRecord, error) {
	fields, err := cborFields(m)
	if err != nil {
		return senmlRecord{}, err
	}
	var r senmlRecord
	for _, f := range fields {
		var item any
		if err := cborUnmarshal(f.raw, &item); err != nil {
			return senmlRecord{}, fmt.Errorf("field %q: %w", f.name, err)
		}
		if err := r.setCBORField(f.name, item); err != nil {
			return senmlRecord{}, fmt.Errorf("field %q: %w", f.name, err)
		}
	}
	return r, nil
}

func (r *senmlRecord) setCBORField(name string, item any) error {
	switch name {
	case "bn", "n":
		s, ok := item.(string)
		if !ok {
			return fmt.Errorf("CBOR %s is not a text string", cborTypeName(item))
		}
		if name == "bn" {
			r.hasBN, r.bn = true, s
		} else {
			r.n = s
		}
	case "v":
		n, err := cborNumber(item)
		if err != nil {
			return err
		}
		return r.setValue(name, senmlValue{typ: svNumber, num: n})
	case "vs", "vlo":
		s, ok := item.(string)
		if !ok {
			return fmt.Errorf("CBOR %s is not a text string", cborTypeName(item))
		}
		typ := svString
		if name == "vlo" {
			typ = svObjLink
		}
		return r.setValue(name, senmlValue{typ: typ, s: s})
	case "vb":
		b, ok := item.(bool)
		if !ok {
			return fmt.Errorf("CBOR %s is not a boolean", cborTypeName(item))
		}
		return r.setValue(name, senmlValue{typ: svBool, b: b})
	case "vd":
		d, ok := item.([]byte)
		if !ok {
			return fmt.Errorf("CBOR %s is not a byte string", cborTypeName(item))
		}
		return r.setValue(name, senmlValue{typ: svData, d: d})
	case "bt", "t", "bver", "ut":
		_, err := cborNumber(item)
		return err
	case "bv", "bs", "s":
		return refuseField(name)
	}
	return nil
}

func cborNumber(item any) (senmlNumber, error) {
	switch x := item.(type) {
	case int64:
		return senmlNumber{typ: numInt, i: x}, nil
	case uint64:
		return senmlNumber{typ: numUint, u: x}, nil
	case float64:
		return senmlNumber{typ: numFloat, f: x}, nil
	}
	return senmlNumber{}, fmt.Errorf("CBOR %s is not a number", cborTypeName(item))
}

func encodeSenMLCBOR(base Path, recs []Record) ([]byte, error) {
	srecs, err := recordsToSenML(base, recs)
	if err != nil {
		return nil, err
	}
	pack := make([]map[any]any, 0, len(srecs))
	for _, sr := range srecs {
		pack = append(pack, senmlCBORMap(sr))
	}
	out, err := cborMarshal(pack)
	if err != nil {
		return nil, fmt.Errorf("SenML CBOR: %w", err)
	}
	return out, nil
}

// senmlCBORMap keys a record by integer labels; the encoder sorts keys so
// the output is deterministic.
func senmlCBORMap(sr senmlRecord) map[any]any {
	m := make(map[any]any, 3)
	label := func(name string) any {
		if k, ok := senmlCBORKeys[name]; ok {
			return k
		}
		return name
	}
	if sr.hasBN {
		m[label("bn")] = sr.bn
	}
	if sr.n != "" {
		m[label("n")] = sr.n
	}
	switch v := sr.val; v.typ {
	case svNumber:
		switch v.num.typ {
		case numInt:
			m[label("v")] = v.num.i
		case numUint:
			m[label("v")] = v.num.u
		default:
			m[label("v")] = v.num.f
		}
	case svString:
		m[label("vs")] = v.s
	case svBool:
		m[label("vb")] = v.b
	case svData:
		m[label("vd")] = v.d
	case svObjLink:
		m[label("vlo")] = v.s
	}
	return m
}
