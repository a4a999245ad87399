package certgen

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// OpenSSLNameHash is OpenSSL's X509_NAME_hash_ex of a DER-encoded Name: the
// value `openssl x509 -hash` prints and `openssl rehash` names trust-store
// files by. It is SHA-1 over the canonical name encoding, first four bytes
// read little-endian.
func OpenSSLNameHash(rawName []byte) (uint32, error) {
	canon, err := canonicalName(rawName)
	if err != nil {
		return 0, err
	}
	sum := sha1.Sum(canon)
	return binary.LittleEndian.Uint32(sum[:4]), nil
}

// ASN.1 universal tags of the string types OpenSSL canonicalises.
const (
	tagUTF8String      = 12
	tagPrintableString = 19
	tagT61String       = 20
	tagIA5String       = 22
	tagUniversalString = 28
	tagBMPString       = 30
	tagSet             = 17
)

// canonicalName mirrors OpenSSL's x509_name_canon: each RDN SET is
// re-encoded with string values converted to canonical UTF8String, and the
// SETs are concatenated without the outer SEQUENCE header.
func canonicalName(raw []byte) ([]byte, error) {
	var rdns []asn1.RawValue
	rest, err := asn1.Unmarshal(raw, &rdns)
	if err != nil {
		return nil, fmt.Errorf("certgen: name: %w", err)
	}
	if len(rest) > 0 {
		return nil, errors.New("certgen: name: trailing data")
	}
	var out []byte
	for _, rdn := range rdns {
		if rdn.Class != asn1.ClassUniversal || rdn.Tag != tagSet {
			return nil, errors.New("certgen: name: RDN is not a SET")
		}
		var atvs [][]byte
		for b := rdn.Bytes; len(b) > 0; {
			var atv struct{ Type, Value asn1.RawValue }
			if b, err = asn1.Unmarshal(b, &atv); err != nil {
				return nil, fmt.Errorf("certgen: name attribute: %w", err)
			}
			if atv.Value, err = canonicalValue(atv.Value); err != nil {
				return nil, err
			}
			enc, err := asn1.Marshal(atv)
			if err != nil {
				return nil, err
			}
			atvs = append(atvs, enc)
		}
		// DER orders SET OF members by their encodings, as OpenSSL's i2d does.
		set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: tagSet, IsCompound: true, Bytes: sortedConcat(atvs)})
		if err != nil {
			return nil, err
		}
		out = append(out, set...)
	}
	return out, nil
}

func sortedConcat(parts [][]byte) []byte {
	for i := 1; i < len(parts); i++ {
		for j := i; j > 0 && bytes.Compare(parts[j-1], parts[j]) > 0; j-- {
			parts[j-1], parts[j] = parts[j], parts[j-1]
		}
	}
	return bytes.Join(parts, nil)
}

// canonicalValue converts a string attribute value to UTF-8, trims and
// collapses ASCII whitespace and lower-cases ASCII letters (OpenSSL's
// asn1_string_canon). Other value types are kept as they are.
func canonicalValue(v asn1.RawValue) (asn1.RawValue, error) {
	if v.Class != asn1.ClassUniversal || v.IsCompound {
		return v, nil
	}
	var text string
	switch v.Tag {
	case tagUTF8String:
		if !utf8.Valid(v.Bytes) {
			return v, errors.New("certgen: name: invalid UTF8String")
		}
		text = string(v.Bytes)
	case tagPrintableString, tagT61String, tagIA5String:
		// One byte per character; OpenSSL reads T61String as Latin-1.
		runes := make([]rune, len(v.Bytes))
		for i, b := range v.Bytes {
			runes[i] = rune(b)
		}
		text = string(runes)
	case tagBMPString:
		if len(v.Bytes)%2 != 0 {
			return v, errors.New("certgen: name: odd-length BMPString")
		}
		units := make([]uint16, len(v.Bytes)/2)
		for i := range units {
			units[i] = binary.BigEndian.Uint16(v.Bytes[2*i:])
		}
		text = string(utf16.Decode(units))
	case tagUniversalString:
		if len(v.Bytes)%4 != 0 {
			return v, errors.New("certgen: name: bad UniversalString length")
		}
		runes := make([]rune, len(v.Bytes)/4)
		for i := range runes {
			runes[i] = rune(binary.BigEndian.Uint32(v.Bytes[4*i:]))
		}
		text = string(runes)
	default:
		return v, nil
	}
	return asn1.RawValue{Class: asn1.ClassUniversal, Tag: tagUTF8String, Bytes: canonText([]byte(text))}, nil
}

func isSpace(b byte) bool {
	return b == ' ' || (b >= '\t' && b <= '\r')
}

func canonText(s []byte) []byte {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case isSpace(b):
			out = append(out, ' ')
			for i+1 < len(s) && isSpace(s[i+1]) {
				i++
			}
		case b >= 'A' && b <= 'Z':
			out = append(out, b+'a'-'A')
		default:
			out = append(out, b)
		}
	}
	return out
}
