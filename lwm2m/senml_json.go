package lwm2m

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SenML JSON (application/senml+json, 110).

func decodeSenMLJSON(base Path, data []byte, kind KindFunc) ([]Record, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("SenML JSON is not valid UTF-8")
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return nil, errors.New("SenML JSON must be an array of records")
	}
	var raws []map[string]json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("SenML JSON: %w", err)
	}
	srecs := make([]senmlRecord, 0, len(raws))
	for i, raw := range raws {
		sr, err := senmlFromJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		srecs = append(srecs, sr)
	}
	return senmlToRecords(base, srecs, kind)
}

func senmlFromJSON(fields map[string]json.RawMessage) (senmlRecord, error) {
	var r senmlRecord
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		raw := fields[name]
		var err error
		switch name {
		case "bn":
			r.hasBN = true
			r.bn, err = jsonString(raw)
		case "n":
			r.n, err = jsonString(raw)
		case "v":
			var n senmlNumber
			if n, err = jsonNumber(raw); err == nil {
				err = r.setValue(name, senmlValue{typ: svNumber, num: n})
			}
		case "vs", "vlo":
			var s string
			if s, err = jsonString(raw); err == nil {
				typ := svString
				if name == "vlo" {
					typ = svObjLink
				}
				err = r.setValue(name, senmlValue{typ: typ, s: s})
			}
		case "vb":
			var b bool
			if b, err = jsonBool(raw); err == nil {
				err = r.setValue(name, senmlValue{typ: svBool, b: b})
			}
		case "vd":
			var d []byte
			if d, err = jsonData(raw); err == nil {
				err = r.setValue(name, senmlValue{typ: svData, d: d})
			}
		case "bt", "t", "bver", "ut":
			_, err = jsonNumber(raw)
		case "bv", "bs", "s":
			err = refuseField(name)
		default:
			if strings.HasSuffix(name, "_") {
				err = errors.New("must-understand field is not supported")
			}
		}
		if err != nil {
			return senmlRecord{}, fmt.Errorf("field %q: %w", name, err)
		}
	}
	return r, nil
}

func jsonString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", errors.New("not a string")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

func jsonBool(raw json.RawMessage) (bool, error) {
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

// jsonNumber keeps integers exact: a literal with no fraction or exponent
// is an integer when it fits 64 bits.
func jsonNumber(raw json.RawMessage) (senmlNumber, error) {
	s := string(raw)
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return senmlNumber{}, errors.New("not a number")
	}
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return senmlNumber{typ: numInt, i: i}, nil
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return senmlNumber{typ: numUint, u: u}, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return senmlNumber{}, fmt.Errorf("number %s is out of the float64 range", clip(s))
	}
	return senmlNumber{typ: numFloat, f: f}, nil
}

// jsonData reads vd: base64url without padding per RFC 8428, and for
// tolerance also with padding or in the standard alphabet.
func jsonData(raw json.RawMessage) ([]byte, error) {
	s, err := jsonString(raw)
	if err != nil {
		return nil, err
	}
	for i := 0; i < 2 && strings.HasSuffix(s, "="); i++ {
		s = s[:len(s)-1]
	}
	enc := base64.RawURLEncoding
	if strings.ContainsAny(s, "+/") {
		enc = base64.RawStdEncoding
	}
	d, err := enc.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %w", err)
	}
	return d, nil
}

func encodeSenMLJSON(base Path, recs []Record) ([]byte, error) {
	srecs, err := recordsToSenML(base, recs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, sr := range srecs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeSenMLJSONRecord(&b, sr); err != nil {
			return nil, fmt.Errorf("record %v: %w", recs[i].Path, err)
		}
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// writeSenMLJSONRecord writes fields in a fixed order (bn, n, value) so
// the output is stable and matches the specification's examples.
func writeSenMLJSONRecord(b *bytes.Buffer, sr senmlRecord) error {
	b.WriteByte('{')
	sep := ""
	field := func(name string) {
		b.WriteString(sep)
		sep = ","
		b.WriteString(`"` + name + `":`)
	}
	if sr.hasBN {
		field("bn")
		writeJSONString(b, sr.bn)
	}
	if sr.n != "" {
		field("n")
		writeJSONString(b, sr.n)
	}
	switch v := sr.val; v.typ {
	case svNumber:
		field("v")
		s, err := jsonNumberText(v.num)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case svString:
		field("vs")
		writeJSONString(b, v.s)
	case svBool:
		field("vb")
		b.WriteString(strconv.FormatBool(v.b))
	case svData:
		field("vd")
		writeJSONString(b, base64.RawURLEncoding.EncodeToString(v.d))
	case svObjLink:
		field("vlo")
		writeJSONString(b, v.s)
	}
	b.WriteByte('}')
	return nil
}

// jsonNumberText writes floats with a fraction or exponent so that a
// reader without type information still sees a float.
func jsonNumberText(n senmlNumber) (string, error) {
	switch n.typ {
	case numInt:
		return strconv.FormatInt(n.i, 10), nil
	case numUint:
		return strconv.FormatUint(n.u, 10), nil
	}
	if math.IsNaN(n.f) || math.IsInf(n.f, 0) {
		return "", fmt.Errorf("JSON cannot carry the float %v", n.f)
	}
	s := formatFloat(n.f)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s, nil
}

// writeJSONString quotes s (valid UTF-8) with the escapes JSON requires
// and no HTML escaping, so link text such as "</1/0>" stays readable.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
