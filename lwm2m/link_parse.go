package lwm2m

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseLinks parses a link-format payload. An empty payload is no links.
// Whitespace around "," and ";" is tolerated, since some stacks emit it;
// anything else outside the grammar is an error naming the byte offset.
func ParseLinks(s string) ([]Link, error) {
	if !utf8.ValidString(s) {
		return nil, errors.New("link format: not valid UTF-8")
	}
	p := &linkParser{s: s}
	p.skipSpace()
	var links []Link
	for !p.done() {
		l, err := p.link()
		if err != nil {
			return nil, fmt.Errorf("link format: link %d: %w", len(links), err)
		}
		links = append(links, l)
		p.skipSpace()
		if p.done() {
			break
		}
		if p.s[p.i] != ',' {
			return nil, fmt.Errorf("link format: expected ',' at offset %d, found %q", p.i, p.s[p.i])
		}
		p.i++
		p.skipSpace()
		if p.done() {
			return nil, fmt.Errorf("link format: empty link after ',' at offset %d", p.i)
		}
	}
	return links, nil
}

type linkParser struct {
	s string
	i int
}

func (p *linkParser) done() bool { return p.i >= len(p.s) }

func (p *linkParser) skipSpace() {
	for !p.done() && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// link reads "<target>" and its parameters, or a bare parameter list.
func (p *linkParser) link() (Link, error) {
	var l Link
	if p.s[p.i] == '<' {
		t, err := p.target()
		if err != nil {
			return Link{}, err
		}
		l.Target = t
	} else {
		prm, err := p.param()
		if err != nil {
			return Link{}, err
		}
		l.Params = append(l.Params, prm)
	}
	for {
		p.skipSpace()
		if p.done() || p.s[p.i] != ';' {
			return l, nil
		}
		p.i++
		p.skipSpace()
		prm, err := p.param()
		if err != nil {
			return Link{}, err
		}
		l.Params = append(l.Params, prm)
	}
}

func (p *linkParser) target() (string, error) {
	start := p.i
	end := strings.IndexByte(p.s[start+1:], '>')
	if end < 0 {
		return "", fmt.Errorf("target opened at offset %d is not closed by '>'", start)
	}
	t := p.s[start+1 : start+1+end]
	if t == "" {
		return "", fmt.Errorf("empty target at offset %d", start)
	}
	for k := 0; k < len(t); k++ {
		if badTargetByte(t[k]) {
			return "", fmt.Errorf("target at offset %d holds the byte %q", start, t[k])
		}
	}
	p.i = start + 1 + end + 1
	return t, nil
}

// param reads name[=token|="quoted"].
func (p *linkParser) param() (LinkParam, error) {
	start := p.i
	for !p.done() && (isParmNameChar(p.s[p.i]) || p.s[p.i] == '*') {
		p.i++
	}
	name := p.s[start:p.i]
	switch {
	case name == "" && p.done():
		return LinkParam{}, fmt.Errorf("expected a parameter name at offset %d, found the end", start)
	case name == "":
		return LinkParam{}, fmt.Errorf("expected a parameter name at offset %d, found %q", start, p.s[start])
	case !validParmName(name):
		return LinkParam{}, fmt.Errorf("invalid parameter name %q at offset %d", name, start)
	}
	prm := LinkParam{Name: name}
	if p.done() || p.s[p.i] != '=' {
		return prm, nil
	}
	p.i++
	if !p.done() && p.s[p.i] == '"' {
		v, err := p.quoted()
		if err != nil {
			return LinkParam{}, fmt.Errorf("parameter %q: %w", name, err)
		}
		prm.Value, prm.Quoted = v, true
		return prm, nil
	}
	vstart := p.i
	for !p.done() && isPtokenChar(p.s[p.i]) {
		p.i++
	}
	if p.i == vstart {
		return LinkParam{}, fmt.Errorf("parameter %q: empty value at offset %d", name, vstart)
	}
	prm.Value = p.s[vstart:p.i]
	return prm, nil
}

// quoted reads a quoted-string; a backslash takes the next byte literally.
func (p *linkParser) quoted() (string, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String(), nil
		case '\\':
			p.i++
			if p.done() {
				return "", fmt.Errorf("quoted string at offset %d ends in an escape", start)
			}
			c = p.s[p.i]
		}
		b.WriteByte(c)
		p.i++
	}
	return "", fmt.Errorf("quoted string opened at offset %d is not closed", start)
}
