package yamlpos

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestErrorRendering(t *testing.T) {
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Error{File: "a.yaml", Line: 3, Field: "x.y[1]", Msg: "bad"}, "a.yaml:3: x.y[1]: bad"},
		{Error{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{Error{File: "a.yaml", Field: "x", Msg: "bad"}, "a.yaml: x: bad"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.err, got, tc.want)
		}
	}
	if got := Join(Index(Join("", "a"), 2), "b"); got != "a[2].b" {
		t.Errorf("Join/Index: got %q", got)
	}
}

// read runs fn on the root of doc and renders its value or its error.
func read(t *testing.T, src Source, doc string, fn func(Node) (any, error)) string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatalf("%q: %v", doc, err)
	}
	src.File = "f.yaml"
	v, err := fn(src.Root(n.Content[0]))
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("%q: error %v is not an *Error", doc, err)
		}
		return "error " + err.Error()
	}
	return fmt.Sprintf("%v", v)
}

// field reads the value of key k of a mapping with fn.
func field(k string, fn func(Node) (any, error)) func(Node) (any, error) {
	return func(n Node) (any, error) {
		_, f, err := n.Fields()
		if err != nil {
			return nil, err
		}
		return fn(f[k])
	}
}

func str(n Node) (any, error)      { return n.Str() }
func strList(n Node) (any, error)  { return n.StrList() }
func strOrOne(n Node) (any, error) { return n.StrOrList() }
func boolean(n Node) (any, error)  { return n.Bool() }
func port(n Node) (any, error)     { return n.Int(1, 65535) }
func fraction(n Node) (any, error) { return n.Float(0, 1) }
func duration(n Node) (any, error) { return n.Duration() }

// walk renders the keys Walk visits with their fields and lines.
func walk(known ...string) func(Node) (any, error) {
	return func(n Node) (any, error) {
		var seen []string
		err := n.Walk(known, func(key string, v Node) error {
			seen = append(seen, fmt.Sprintf("%s@%s:%d", key, v.Field(), v.Line()))
			return nil
		})
		if err != nil {
			return nil, err
		}
		return strings.Join(seen, " "), nil
	}
}

func TestNodeReading(t *testing.T) {
	rejectNull := Source{RejectNull: true}
	custom := Source{Wording: Wording{
		NotMapping:  func(got string, known []string) string { return "need " + strings.Join(known, "/") + " not " + got },
		UnknownKey:  func([]string) string { return "what?" },
		RepeatedKey: func(int) string { return "again" },
		NotBool:     func(v string) string { return "not a bool: " + v },
	}}
	for _, tc := range []struct {
		name string
		src  Source
		doc  string
		fn   func(Node) (any, error)
		want string
	}{
		{"walk in order", Source{}, "b: 1\na: {x: 2}\n", walk("a", "b"), "b@b:1 a@a:2"},
		{"walk any key", Source{}, "zz: 1\n", walk(), "zz@zz:1"},
		{"unknown key, known sorted", Source{}, "a: 1\nc: 2\n", walk("b", "a"), "error f.yaml:2: c: unknown field (want one of a, b)"},
		{"repeated key", Source{}, "a: 1\nb: 2\na: 3\n", walk("a", "b"), "error f.yaml:3: a: repeated field (first at line 1)"},
		{"not a mapping", Source{}, "[1]\n", walk("a"), "error f.yaml:1: want a mapping, got a list"},
		{"custom wording: not a mapping", custom, "x\n", walk("a", "b"), `error f.yaml:1: need a/b not "x"`},
		{"custom wording: unknown", custom, "c: 1\n", walk("a"), "error f.yaml:1: c: what?"},
		{"custom wording: repeated", custom, "a: 1\na: 1\n", walk("a"), "error f.yaml:2: a: again"},
		{"custom wording: bool", custom, "a: maybe\n", field("a", boolean), "error f.yaml:1: a: not a bool: maybe"},
		{"nested field path", Source{}, "a:\n  - {b: [x, [y]]}\n", func(n Node) (any, error) {
			_, f, _ := n.Fields("a")
			items, _ := f["a"].Items()
			_, g, _ := items[0].Fields("b")
			return g["b"].StrList()
		}, `error f.yaml:2: a[0].b[1]: want a string, got a list`},
		{"absent key is the zero Node", Source{}, "a: 1\n", func(n Node) (any, error) {
			_, f, err := n.Fields("a", "b")
			return f["b"].IsZero() && !f["a"].IsZero(), err
		}, "true"},
		{"block value at its first entry", Source{}, "a:\n  b: 1\n", walk("a"), "a@a:2"},
		{"block value at its key", Source{BlockAtKey: true}, "a:\n  b: 1\n", walk("a"), "a@a:1"},
		{"flow value stays put under BlockAtKey", Source{BlockAtKey: true}, "a:\n  {b: 1}\n", walk("a"), "a@a:2"},
		{"alias followed", Source{}, "a: &x {b: hi}\nc: *x\n", func(n Node) (any, error) {
			_, f, _ := n.Fields("a", "c")
			_, g, err := f["c"].Fields("b")
			if err != nil {
				return nil, err
			}
			return g["b"].Str()
		}, "hi"},
		{"string", Source{}, "a: hello\n", field("a", str), "hello"},
		{"number as string", Source{}, "a: 10\n", field("a", str), "10"},
		{"null string reads empty", Source{}, "a:\n", field("a", str), ""},
		{"null string rejected", rejectNull, "a: ~\n", field("a", str), "error f.yaml:1: a: want a string, got nothing"},
		{"string not a list", Source{}, "a: [x]\n", field("a", str), "error f.yaml:1: a: want a string, got a list"},
		{"string list", Source{}, "a: [x, y]\n", field("a", strList), "[x y]"},
		{"empty string list", Source{}, "a: []\n", field("a", func(n Node) (any, error) {
			l, err := n.StrList()
			return l != nil && len(l) == 0, err
		}), "true"},
		{"string list rejects a scalar", Source{}, "a: x\n", field("a", strList), `error f.yaml:1: a: want a list, got "x"`},
		{"string or list: one", Source{}, "a: x\n", field("a", strOrOne), "[x]"},
		{"string or list: list", Source{}, "a: [x, y]\n", field("a", strOrOne), "[x y]"},
		{"string or list: mapping", Source{}, "a: {x: 1}\n", field("a", strOrOne), "error f.yaml:1: a: want a list, got a mapping"},
		{"bool", Source{}, "a: true\n", field("a", boolean), "true"},
		{"bool quoted", Source{}, "a: \"true\"\n", field("a", boolean), "error f.yaml:1: a: want true or false"},
		{"bool word", Source{}, "a: maybe\n", field("a", boolean), "error f.yaml:1: a: want true or false"},
		{"int", Source{}, "a: 5684\n", field("a", port), "5684"},
		{"int hex", Source{}, "a: 0x10\n", field("a", port), "16"},
		{"int below range", Source{}, "a: 0\n", field("a", port), "error f.yaml:1: a: want an integer from 1 to 65535"},
		{"int above range", Source{}, "a: 65536\n", field("a", port), "error f.yaml:1: a: want an integer from 1 to 65535"},
		{"int quoted", Source{}, "a: \"80\"\n", field("a", port), "error f.yaml:1: a: want an integer from 1 to 65535"},
		{"int fraction", Source{}, "a: 1.5\n", field("a", port), "error f.yaml:1: a: want an integer from 1 to 65535"},
		{"float", Source{}, "a: 0.25\n", field("a", fraction), "0.25"},
		{"float from int", Source{}, "a: 1\n", field("a", fraction), "1"},
		{"float out of range", Source{}, "a: 1.5\n", field("a", fraction), "error f.yaml:1: a: want a number from 0 to 1"},
		{"float NaN", Source{}, "a: .nan\n", field("a", fraction), "error f.yaml:1: a: want a number from 0 to 1"},
		{"float word", Source{}, "a: half\n", field("a", fraction), "error f.yaml:1: a: want a number from 0 to 1"},
		{"duration", Source{}, "a: 1m30s\n", field("a", duration), (90 * time.Second).String()},
		{"duration negative", Source{}, "a: -1s\n", field("a", duration), `error f.yaml:1: a: bad duration "-1s" (write e.g. 500ms, 10s)`},
		{"duration without unit", Source{}, "a: 10\n", field("a", duration), `error f.yaml:1: a: bad duration "10" (write e.g. 500ms, 10s)`},
		{"duration null rejected", rejectNull, "a:\n", field("a", duration), "error f.yaml:1: a: want a string, got nothing"},
		{"pairs keep data keys", Source{}, "B: 1\nA: 2\n", func(n Node) (any, error) {
			pairs, err := n.Pairs()
			var out []string
			for _, p := range pairs {
				out = append(out, p.Key.Field()+"="+p.Value.Value())
			}
			return out, err
		}, "[B=1 A=2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := read(t, tc.src, tc.doc, tc.fn); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
