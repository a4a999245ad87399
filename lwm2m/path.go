package lwm2m

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxPathLen is the number of ids in a resource instance path.
const MaxPathLen = 4

// Path addresses an object, object instance, resource or resource instance:
// /obj[/inst[/res[/resinst]]]. The zero Path is the root "/".
type Path struct {
	ids [MaxPathLen]uint16
	n   uint8
}

// NewPath builds a path from up to four ids. Ids beyond the fourth are
// dropped: a path never holds more than a resource instance.
func NewPath(ids ...uint16) Path {
	var p Path
	for _, id := range ids {
		if int(p.n) == MaxPathLen {
			break
		}
		p.ids[p.n] = id
		p.n++
	}
	return p
}

// ParsePath parses "/3/0/1", "3/0" or "/" (the root). A single trailing
// slash is accepted ("/3/0/" is /3/0) because SenML base names end in one.
// Ids are decimal without sign or leading zeros, at most 65535.
func ParsePath(s string) (Path, error) {
	if s == "" {
		return Path{}, errors.New("lwm2m: empty path")
	}
	if s == "/" {
		return Path{}, nil
	}
	rest := strings.TrimPrefix(s, "/")
	rest = strings.TrimSuffix(rest, "/")
	var p Path
	for seg := range strings.SplitSeq(rest, "/") {
		if int(p.n) == MaxPathLen {
			return Path{}, fmt.Errorf("lwm2m: path %q has more than %d parts", s, MaxPathLen)
		}
		id, err := parseID(seg)
		if err != nil {
			return Path{}, fmt.Errorf("lwm2m: path %q: %w", s, err)
		}
		p.ids[p.n] = id
		p.n++
	}
	return p, nil
}

// parseID parses one path segment as a canonical decimal uint16.
func parseID(seg string) (uint16, error) {
	if seg == "" {
		return 0, errors.New("empty segment")
	}
	for i := 0; i < len(seg); i++ {
		if seg[i] < '0' || seg[i] > '9' {
			return 0, fmt.Errorf("segment %q is not a decimal number", seg)
		}
	}
	if len(seg) > 1 && seg[0] == '0' {
		return 0, fmt.Errorf("segment %q has a leading zero", seg)
	}
	v, err := strconv.ParseUint(seg, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("segment %q exceeds 65535", seg)
	}
	return uint16(v), nil
}

// String renders the path with a leading slash; the root is "/".
func (p Path) String() string {
	if p.n == 0 {
		return "/"
	}
	var b strings.Builder
	for i := 0; i < int(p.n); i++ {
		b.WriteByte('/')
		b.WriteString(strconv.FormatUint(uint64(p.ids[i]), 10))
	}
	return b.String()
}

// Len says how many ids are set: 0 root, 1 object, 2 instance, 3 resource,
// 4 resource instance.
func (p Path) Len() int { return int(p.n) }

// Obj is the object id (0 for the root).
func (p Path) Obj() uint16 { return p.ids[0] }

// Inst is the object instance id (0 when Len() < 2).
func (p Path) Inst() uint16 { return p.ids[1] }

// Res is the resource id (0 when Len() < 3).
func (p Path) Res() uint16 { return p.ids[2] }

// ResInst is the resource instance id (0 when Len() < 4).
func (p Path) ResInst() uint16 { return p.ids[3] }

// ID returns the i-th id (0-based); 0 when i is out of range.
func (p Path) ID(i int) uint16 {
	if i < 0 || i >= int(p.n) {
		return 0
	}
	return p.ids[i]
}

// IsPrefixOf reports whether q is p or lies below p. The root is a prefix
// of every path.
func (p Path) IsPrefixOf(q Path) bool {
	if p.n > q.n {
		return false
	}
	for i := 0; i < int(p.n); i++ {
		if p.ids[i] != q.ids[i] {
			return false
		}
	}
	return true
}

// Append returns p extended by id. A resource instance path has no child:
// Append on a four-part path returns p unchanged (check Len() < MaxPathLen).
func (p Path) Append(id uint16) Path {
	if int(p.n) == MaxPathLen {
		return p
	}
	p.ids[p.n] = id
	p.n++
	return p
}

// Parent returns p without its last id; the root is its own parent.
func (p Path) Parent() Path {
	if p.n == 0 {
		return p
	}
	p.n--
	p.ids[p.n] = 0
	return p
}

// Compare orders paths id by id, a parent before its children.
func (p Path) Compare(q Path) int {
	for i := 0; i < int(min(p.n, q.n)); i++ {
		switch {
		case p.ids[i] < q.ids[i]:
			return -1
		case p.ids[i] > q.ids[i]:
			return 1
		}
	}
	switch {
	case p.n < q.n:
		return -1
	case p.n > q.n:
		return 1
	}
	return 0
}

// MarshalText renders the path as String does (for YAML and JSON).
func (p Path) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses the path as ParsePath does.
func (p *Path) UnmarshalText(b []byte) error {
	q, err := ParsePath(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
