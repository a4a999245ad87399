package lwm2m

import (
	"encoding/json"
	"testing"
)

func TestParsePath(t *testing.T) {
	good := []struct {
		in   string
		want Path
		str  string
	}{
		{"/", Path{}, "/"},
		{"/3", NewPath(3), "/3"},
		{"3/0", NewPath(3, 0), "/3/0"},
		{"/3/0/1", NewPath(3, 0, 1), "/3/0/1"},
		{"/3/0/11/0", NewPath(3, 0, 11, 0), "/3/0/11/0"},
		{"/3/0/", NewPath(3, 0), "/3/0"},
		{"/65535/65534", NewPath(65535, 65534), "/65535/65534"},
	}
	for _, c := range good {
		p, err := ParsePath(c.in)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", c.in, err)
			continue
		}
		if p != c.want || p.String() != c.str {
			t.Errorf("ParsePath(%q) = %v, want %v", c.in, p, c.str)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty path"},
		{"/1/2/3/4/5", "more than 4 parts"},
		{"/3/x", "not a decimal number"},
		{"/3/-1", "not a decimal number"},
		{"/3/+1", "not a decimal number"},
		{"/65536", "exceeds 65535"},
		{"/3//1", "empty segment"},
		{"/3/01", "leading zero"},
		{"//", "empty segment"},
		{"/3/0 ", "not a decimal number"},
	}
	for _, c := range bad {
		_, err := ParsePath(c.in)
		assertErrContains(t, err, c.msg)
	}
}

func TestPathParts(t *testing.T) {
	p := NewPath(3, 0, 11, 2)
	if p.Len() != 4 || p.Obj() != 3 || p.Inst() != 0 || p.Res() != 11 || p.ResInst() != 2 {
		t.Fatalf("parts of %v wrong", p)
	}
	if got := NewPath(1, 2, 3, 4, 5); got.Len() != 4 || got.String() != "/1/2/3/4" {
		t.Fatalf("NewPath keeps four ids, got %v", got)
	}
	if got := p.Append(7); got != p {
		t.Fatalf("Append on a resource instance path must not change it, got %v", got)
	}
	if got := NewPath(3, 0).Append(13); got != NewPath(3, 0, 13) {
		t.Fatalf("Append = %v", got)
	}
	if got := p.Parent(); got != NewPath(3, 0, 11) {
		t.Fatalf("Parent = %v", got)
	}
	if got := (Path{}).Parent(); got.Len() != 0 {
		t.Fatalf("root Parent = %v", got)
	}
}

func TestPathIsPrefixOf(t *testing.T) {
	cases := []struct {
		p, q Path
		want bool
	}{
		{Path{}, NewPath(3, 0, 1), true},
		{NewPath(3), NewPath(3, 0, 1), true},
		{NewPath(3, 0, 1), NewPath(3, 0, 1), true},
		{NewPath(3, 0, 1), NewPath(3, 0), false},
		{NewPath(3, 1), NewPath(3, 0, 1), false},
		{NewPath(0), NewPath(3), false},
	}
	for _, c := range cases {
		if got := c.p.IsPrefixOf(c.q); got != c.want {
			t.Errorf("%v.IsPrefixOf(%v) = %v", c.p, c.q, got)
		}
	}
}

func TestPathCompareOrdersParentFirst(t *testing.T) {
	ordered := []Path{{}, NewPath(0), NewPath(0, 1), NewPath(0, 1, 16), NewPath(0, 1, 16, 0), NewPath(0, 2), NewPath(3)}
	for i := range ordered {
		for j := range ordered {
			got := ordered[i].Compare(ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func TestPathTextMarshalling(t *testing.T) {
	var v struct{ P Path }
	if err := json.Unmarshal([]byte(`{"P":"/0/1/15"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.P != NewPath(0, 1, 15) {
		t.Fatalf("got %v", v.P)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"P":"/0/1/15"}` {
		t.Fatalf("marshal = %s, %v", out, err)
	}
	assertErrContains(t, json.Unmarshal([]byte(`{"P":"/a"}`), &v), "not a decimal number")
}
