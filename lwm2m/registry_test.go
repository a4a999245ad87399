package lwm2m

import "testing"

func TestRegistryObjects(t *testing.T) {
	reg := Registry()
	cases := []struct {
		obj       uint16
		maxRes    uint16
		multiple  bool
		mandatory bool
	}{
		{ObjSecurity, 17, true, true},
		{ObjServer, 23, true, true},
		{ObjDevice, 22, false, true},
	}
	for _, c := range cases {
		o, ok := reg[c.obj]
		if !ok {
			t.Fatalf("object %d missing", c.obj)
		}
		if o.ID != c.obj || o.Multiple != c.multiple || o.Mandatory != c.mandatory || o.Version != "1.1" {
			t.Errorf("object %d header: %+v", c.obj, o)
		}
		for id := uint16(0); id <= c.maxRes; id++ {
			r, ok := o.Resources[id]
			if !ok || r.ID != id || r.Name == "" {
				t.Errorf("object %d resource %d missing or unnamed: %+v", c.obj, id, r)
			}
			if (r.Ops == "E") != (r.Kind == KindNone) {
				t.Errorf("/%d/x/%d: executables and only they have no type (%q, %v)", c.obj, id, r.Ops, r.Kind)
			}
		}
		if len(o.Resources) != int(c.maxRes)+1 {
			t.Errorf("object %d has %d resources, want %d", c.obj, len(o.Resources), c.maxRes+1)
		}
	}
}

// The resources the harness provisions and checks must have these types.
func TestRegistryKeyResources(t *testing.T) {
	cases := []struct {
		path     string
		kind     Kind
		multiple bool
		ops      string
	}{
		{"/0/0/0", KindString, false, ""},
		{"/0/0/3", KindOpaque, false, ""},
		{"/0/0/4", KindOpaque, false, ""},
		{"/0/0/14", KindString, false, ""},
		{"/0/0/15", KindUnsignedInteger, false, ""},
		{"/0/0/16", KindUnsignedInteger, true, ""},
		{"/1/0/1", KindInteger, false, "RW"},
		{"/1/0/2", KindInteger, false, "RW"},
		{"/1/0/3", KindInteger, false, "RW"},
		{"/1/0/4", KindNone, false, "E"},
		{"/1/0/6", KindBoolean, false, "RW"},
		{"/1/0/7", KindString, false, "RW"},
		{"/1/0/8", KindNone, false, "E"},
		{"/3/0/0", KindString, false, "R"},
		{"/3/0/4", KindNone, false, "E"},
		{"/3/0/5", KindNone, false, "E"},
		{"/3/0/11", KindInteger, true, "R"},
		{"/3/0/13", KindTime, false, "RW"},
		{"/3/0/14", KindString, false, "RW"},
		{"/3/0/15", KindString, false, "RW"},
		{"/3/0/16", KindString, false, "R"},
		{"/3/0/17", KindString, false, "R"},
	}
	for _, c := range cases {
		p, err := ParsePath(c.path)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := LookupResource(p)
		if !ok || r.Kind != c.kind || r.Multiple != c.multiple || r.Ops != c.ops {
			t.Errorf("%s: got %+v (ok=%v)", c.path, r, ok)
		}
	}
}

func TestKindOf(t *testing.T) {
	cases := []struct {
		p    Path
		kind Kind
		ok   bool
	}{
		{NewPath(0, 5, 16, 3), KindUnsignedInteger, true}, // instance of a multiple resource
		{NewPath(3, 0, 13), KindTime, true},
		{NewPath(3, 0, 0, 0), KindNone, false}, // single resource has no instances
		{NewPath(3, 0), KindNone, false},
		{NewPath(3, 0, 99), KindNone, false},
		{NewPath(5, 0, 1), KindNone, false},
	}
	for _, c := range cases {
		k, ok := KindOf(c.p)
		if k != c.kind || ok != c.ok {
			t.Errorf("KindOf(%v) = %v, %v", c.p, k, ok)
		}
	}
}

func TestRegistryReturnsCopies(t *testing.T) {
	reg := Registry()
	delete(reg[ObjDevice].Resources, 13)
	reg[ObjServer].Resources[1] = ResourceDef{ID: 1, Kind: KindString}
	if k, ok := KindOf(NewPath(3, 0, 13)); !ok || k != KindTime {
		t.Fatal("changing a returned registry must not change KindOf")
	}
	if _, ok := Registry()[ObjDevice].Resources[13]; !ok {
		t.Fatal("Registry must hand out fresh copies")
	}
}
