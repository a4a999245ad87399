package lwm2m

import (
	"fmt"
	"strings"
)

// CoRE Link Format (RFC 6690, application/link-format, 40) as LwM2M uses
// it: Register and Update payloads (`</>;rt="oma.lwm2m";ct=11543,</1/0>`),
// Discover responses with attributes (`</3/0/7>;dim=2;pmin=10`) and the
// Bootstrap-Discover response, whose first element is a bare parameter
// (`lwm2m="1.1",</0/1>;ssid=101;uri="coaps://..."`).

// Link is one link-value. An empty Target marks a bare parameter element
// such as lwm2m="1.1"; an empty URI reference "<>" is not accepted.
type Link struct {
	Target string
	Params []LinkParam
}

// LinkParam is one parameter in the order it appeared. Quoted records
// whether the value was a quoted string, so a parsed payload formats back
// as it came; a value that is not a valid token is quoted regardless. An
// empty unquoted value is a parameter without "=" (e.g. ";obs").
type LinkParam struct {
	Name   string
	Value  string
	Quoted bool
}

// TokenParam is name=value, quoted only if value needs it.
func TokenParam(name, value string) LinkParam { return LinkParam{Name: name, Value: value} }

// QuotedParam is name="value".
func QuotedParam(name, value string) LinkParam {
	return LinkParam{Name: name, Value: value, Quoted: true}
}

// FlagParam is a parameter without value.
func FlagParam(name string) LinkParam { return LinkParam{Name: name} }

// Param returns the value of the first parameter called name.
func (l Link) Param(name string) (string, bool) {
	for _, p := range l.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Path parses the target as an LwM2M path ("/1/0").
func (l Link) Path() (Path, error) { return ParsePath(l.Target) }

// ValidateLinks reports the first link FormatLinks could not write so that
// ParseLinks reads it back: bare elements need a parameter and every
// parameter name must be a valid parmname.
func ValidateLinks(links []Link) error {
	for i, l := range links {
		if l.Target == "" && len(l.Params) == 0 {
			return fmt.Errorf("link %d: neither target nor parameters", i)
		}
		for _, p := range l.Params {
			if !validParmName(p.Name) {
				return fmt.Errorf("link %d: invalid parameter name %q", i, p.Name)
			}
		}
	}
	return nil
}

// FormatLinks writes links without whitespace. Targets have the characters
// a URI cannot hold percent-encoded; values are quoted when marked Quoted
// or when they are not tokens. Links are expected to pass ValidateLinks.
func FormatLinks(links []Link) string {
	var b strings.Builder
	for i, l := range links {
		if i > 0 {
			b.WriteByte(',')
		}
		if l.Target != "" {
			b.WriteByte('<')
			writeTarget(&b, l.Target)
			b.WriteByte('>')
		}
		for j, p := range l.Params {
			if l.Target != "" || j > 0 {
				b.WriteByte(';')
			}
			b.WriteString(p.Name)
			switch {
			case p.Value == "" && !p.Quoted:
			case p.Quoted || !isPtoken(p.Value):
				b.WriteString(`="`)
				for k := 0; k < len(p.Value); k++ {
					if c := p.Value[k]; c == '"' || c == '\\' {
						b.WriteByte('\\')
					}
					b.WriteByte(p.Value[k])
				}
				b.WriteByte('"')
			default:
				b.WriteByte('=')
				b.WriteString(p.Value)
			}
		}
	}
	return b.String()
}

func writeTarget(b *strings.Builder, t string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(t); i++ {
		c := t[i]
		if badTargetByte(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
}

// badTargetByte: bytes a URI reference inside <...> cannot hold.
func badTargetByte(c byte) bool { return c <= ' ' || c == 0x7f || c == '<' || c == '>' }

// validParmName: RFC 6690 parmname (RFC 5987 attr-char), plus a trailing
// "*" for extended values such as title*.
func validParmName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isParmNameChar(s[i]) && (s[i] != '*' || i != len(s)-1) {
			return false
		}
	}
	return true
}

func isParmNameChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// isPtoken: RFC 6690 ptoken, one or more ptokenchars.
func isPtoken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isPtokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isPtokenChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'()*+-./:<=>?@[]^_`{|}~", c) >= 0
}

func isAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
