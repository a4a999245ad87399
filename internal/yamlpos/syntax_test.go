package yamlpos

import (
	"testing"
)

// Each document is broken on the line marked #<; yaml.v3 itself names
// the line before in most of them.
func TestSyntaxErrorLine(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"bad indentation on line 7", "a: 1\nb: 2\nc: 3\nd: 4\nf:\n  - x\n y: 1 #<\nz: 2\n",
			"t.yaml:7: invalid YAML: did not find expected key"},
		{"mapping value in a scalar", "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: a: b #<\n",
			"t.yaml:7: invalid YAML: mapping values are not allowed in this context"},
		{"tab indentation", "a: 1\nb: 2\n\tc: 1 #<\nd: 2\n",
			"t.yaml:3: invalid YAML: found a tab character that violates indentation"},
		{"list item in a mapping", "a: 1\nb: 2\n- c #<\n",
			"t.yaml:3: invalid YAML: did not find expected key"},
		{"unclosed flow list, placed where it opens", "a: 1\nb: [1, 2 #<\nc: 3\n",
			"t.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed quote, placed where it opens", "a: 1\nb: 2\nc: \"abc #<\nd: 4\n",
			"t.yaml:3: invalid YAML: found unexpected end of stream"},
		{"an unknown alias gets a line too", "a: 1\nb: *nope #<\nc: 2\n",
			"t.yaml:2: invalid YAML: unknown anchor 'nope' referenced"},
		{"error in a second document", "a: 1\n---\nb: 2\nc: [ #<\n",
			"t.yaml:4: invalid YAML: did not find expected node content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeAll([]byte(tc.doc))
			if err == nil {
				t.Fatal("the document decodes")
			}
			if got := Syntax("t.yaml", []byte(tc.doc), err).Error(); got != tc.want {
				t.Errorf("yaml.v3 says %q\ngot  %s\nwant %s", err, got, tc.want)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	n, err := Document("t.yaml", []byte("a: 1\n"))
	if err != nil || n == nil || n.Line != 1 {
		t.Errorf("Document = %v, %v", n, err)
	}
	if n, err := Document("t.yaml", []byte("# nothing\n")); n != nil || err != nil {
		t.Errorf("empty input: %v, %v", n, err)
	}
	if _, err := Document("t.yaml", []byte("a: 1\nb: c: d\n")); err == nil || err.Error() != "t.yaml:2: invalid YAML: mapping values are not allowed in this context" {
		t.Errorf("syntax error: %v", err)
	}
}
