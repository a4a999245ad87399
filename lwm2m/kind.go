package lwm2m

import "fmt"

// Kind is an LwM2M resource data type (Core 1.1 Appendix C).
type Kind int

// The zero Kind is KindNone: executable resources and records that carry
// no value (empty containers, names in composite requests).
const (
	KindNone Kind = iota
	KindString
	KindInteger
	KindUnsignedInteger
	KindFloat
	KindBoolean
	KindOpaque
	KindTime
	KindObjLink
	KindCoreLink
)

var kindNames = [...]string{
	KindNone:            "none",
	KindString:          "String",
	KindInteger:         "Integer",
	KindUnsignedInteger: "Unsigned Integer",
	KindFloat:           "Float",
	KindBoolean:         "Boolean",
	KindOpaque:          "Opaque",
	KindTime:            "Time",
	KindObjLink:         "Objlnk",
	KindCoreLink:        "Corelnk",
}

// String returns the data type name as the specification spells it.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// valid reports whether k is one of the declared kinds.
func (k Kind) valid() bool { return k >= 0 && int(k) < len(kindNames) }
