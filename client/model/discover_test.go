package model

import (
	"strings"
	"testing"
)

func TestDiscoverNodes(t *testing.T) {
	m := withServer(t)
	render := func(p string, inst bool) string {
		t.Helper()
		nodes, err := m.Discover(path(t, p), inst)
		mustOK(t, err)
		var parts []string
		for _, n := range nodes {
			s := n.Path.String()
			if n.Dim >= 0 {
				s += "#" + string(rune('0'+n.Dim))
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	if got := render("/1", false); got != "/1 /1/0 /1/0/0 /1/0/1 /1/0/2 /1/0/4 /1/0/6 /1/0/7 /1/0/8 /1/0/9" {
		t.Fatalf("discover /1: %s", got)
	}
	if got := render("/3/0/11", true); got != "/3/0/11#1 /3/0/11/0" {
		t.Fatalf("discover /3/0/11: %s", got)
	}
	if got := render("/3/0/11", false); got != "/3/0/11#1" {
		t.Fatalf("discover /3/0/11 (1.0): %s", got)
	}
	for p, want := range map[string]error{"/0": ErrUnauthorized, "/3/1": ErrNotFound, "/3/0/9": ErrNotFound,
		"/3/0/99": ErrNotFound, "/": ErrMethodNotAllowed, "/3/0/11/0": ErrBadRequest} {
		_, err := m.Discover(path(t, p), true)
		wantErr(t, err, want)
	}
}
