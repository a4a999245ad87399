package yamlpos

import (
	"bytes"
	"errors"
	"io"
	"regexp"

	"gopkg.in/yaml.v3"
)

// yamlPrefix is what yaml.v3 puts before a syntax message.
var yamlPrefix = regexp.MustCompile(`^yaml: (line \d+: )?`)

// Syntax turns a yaml.v3 error from decoding data into an *Error at the
// line where data stops being YAML, reading "file:line: invalid YAML: msg".
//
// yaml.v3's own "line N" is the line of the construct it was parsing when
// it failed (a block mapping begun lines earlier, or the line before a
// scanner error), not the line at fault. So the line is found again: it is
// the first line L such that data up to L, and every longer prefix, fails
// with the same message. An error found only at the end (an unclosed quote
// or bracket) is thus placed where the unclosed construct begins.
func Syntax(file string, data []byte, err error) *Error {
	msg := yamlPrefix.ReplaceAllString(err.Error(), "")
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	at := 0
	size := len(data)
	for k := len(lines); k >= 1; k-- {
		e := decodeAll(data[:size])
		if e == nil || yamlPrefix.ReplaceAllString(e.Error(), "") != msg {
			break
		}
		at = k
		size -= len(lines[k-1])
	}
	return &Error{File: file, Line: at, Msg: "invalid YAML: " + msg}
}

// decodeAll decodes every document of data and returns the first error.
func decodeAll(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Document decodes the first YAML document of data. A syntax error reads
// "file:line: invalid YAML: msg" (see Syntax); an empty input gives a nil
// node and no error, for the caller to word.
func Document(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Syntax(file, data, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}
