package model

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestObjectLinks(t *testing.T) {
	m := withServer(t)
	if got := lwm2m.FormatLinks(m.ObjectLinks()); got != "</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>" {
		t.Fatalf("1.1 links %s", got)
	}
	old := New("ep", "1.0")
	if got := lwm2m.FormatLinks(old.ObjectLinks()); got != "</1>,</3/0>" {
		t.Fatalf("1.0 links without server instance %s", got)
	}
	if got := lwm2m.FormatLinks([]lwm2m.Link{m.ContentFormatsLink()}); got != `</>;rt="oma.lwm2m";ct="110 112 11542"` {
		t.Fatalf("root link %s", got)
	}
}
