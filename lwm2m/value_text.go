package lwm2m

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// String renders the value as the plain-text content format does: decimal
// numbers, booleans as 0/1, Time as Unix seconds, Objlnk as "obj:inst" and
// Opaque as standard base64.
func (v Value) String() string {
	switch v.Kind {
	case KindString, KindCoreLink:
		return v.s
	case KindInteger, KindTime:
		return strconv.FormatInt(v.i, 10)
	case KindUnsignedInteger:
		return strconv.FormatUint(v.u, 10)
	case KindFloat:
		return formatFloat(v.f)
	case KindBoolean:
		if v.b {
			return "1"
		}
		return "0"
	case KindOpaque:
		return base64.StdEncoding.EncodeToString(v.o)
	case KindObjLink:
		return formatObjLink(v.l)
	}
	return ""
}

// formatFloat writes plain decimals for everyday magnitudes and switches to
// an exponent only for very large or small numbers, as JSON printers do.
func formatFloat(f float64) string {
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func formatObjLink(l ObjLink) string {
	return strconv.FormatUint(uint64(l.Obj), 10) + ":" + strconv.FormatUint(uint64(l.Inst), 10)
}

// ParseValue parses the plain-text form of a value of kind k (the inverse
// of Value.String). Unknown kinds are an error; KindNone has no text form.
func ParseValue(k Kind, s string) (Value, error) {
	switch k {
	case KindString, KindCoreLink:
		if !utf8.ValidString(s) {
			return Value{}, errors.New("text is not valid UTF-8")
		}
		return Value{Kind: k, s: s}, nil
	case KindInteger, KindTime:
		if !isDecimalInt(s, true) {
			return Value{}, fmt.Errorf("%q is not a decimal integer", clip(s))
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("%q is out of the 64-bit integer range", clip(s))
		}
		return Value{Kind: k, i: i}, nil
	case KindUnsignedInteger:
		if !isDecimalInt(s, false) {
			return Value{}, fmt.Errorf("%q is not an unsigned decimal integer", clip(s))
		}
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("%q is out of the 64-bit unsigned range", clip(s))
		}
		return Uint(u), nil
	case KindFloat:
		return parseFloatText(s)
	case KindBoolean:
		switch s {
		case "0":
			return Bool(false), nil
		case "1":
			return Bool(true), nil
		}
		return Value{}, fmt.Errorf("%q is not a boolean (0 or 1)", clip(s))
	case KindOpaque:
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return Value{}, fmt.Errorf("opaque text is not base64: %w", err)
		}
		return Opaque(b), nil
	case KindObjLink:
		l, err := parseObjLink(s)
		if err != nil {
			return Value{}, err
		}
		return ObjLinkValue(l), nil
	case KindNone:
		return Value{}, errors.New("an executable resource has no value")
	}
	return Value{}, fmt.Errorf("unknown kind %v", k)
}

// isDecimalInt accepts [sign]digits; strconv alone would also take "0x10"
// and "1_000", which no LwM2M peer sends.
func isDecimalInt(s string, signed bool) bool {
	if signed && s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseFloatText accepts [sign]digits[.digits][(e|E)[sign]digits], JSON's
// number syntax plus a leading '+'; no hex, underscores, NaN or infinities.
func parseFloatText(s string) (Value, error) {
	if !isDecimalFloat(s) {
		return Value{}, fmt.Errorf("%q is not a decimal number", clip(s))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return Value{}, fmt.Errorf("%q is out of the float64 range", clip(s))
	}
	return Float(f), nil
}

func isDecimalFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseObjLink parses "obj:inst" with two decimal ids.
func parseObjLink(s string) (ObjLink, error) {
	objS, instS, ok := strings.Cut(s, ":")
	if !ok {
		return ObjLink{}, fmt.Errorf("objlnk %q lacks the ':' separator", clip(s))
	}
	obj, err := parseID(objS)
	if err != nil {
		return ObjLink{}, fmt.Errorf("objlnk %q: object %w", clip(s), err)
	}
	inst, err := parseID(instS)
	if err != nil {
		return ObjLink{}, fmt.Errorf("objlnk %q: instance %w", clip(s), err)
	}
	return ObjLink{Obj: obj, Inst: inst}, nil
}

// clip shortens input quoted in error messages.
func clip(s string) string {
	const maxQuoted = 40
	if len(s) <= maxQuoted {
		return s
	}
	return s[:maxQuoted] + "..."
}
