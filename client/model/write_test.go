package model

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestWriteReplaceVersusPartial(t *testing.T) {
	m := withServer(t)
	// Partial update: only Lifetime changes, Default Min Period stays.
	mustOK(t, m.Write(path(t, "/1/0"), []lwm2m.Record{rec(t, "/1/0/1", lwm2m.Int(600))}, false))
	if v := readOne(t, m, "/1/0/2"); v.String() != "10" {
		t.Fatalf("partial update removed pmin: %v", v)
	}
	// Replace: optional Default Min Period goes, mandatory Binding and
	// read-only SSID stay.
	mustOK(t, m.Write(path(t, "/1/0"), []lwm2m.Record{rec(t, "/1/0/1", lwm2m.Int(900))}, true))
	if _, err := m.Read(path(t, "/1/0/2")); err == nil {
		t.Fatal("replace kept an optional resource the payload omitted")
	}
	if v := readOne(t, m, "/1/0/7"); v.String() != "U" {
		t.Fatalf("binding %v", v)
	}
	if v := readOne(t, m, "/1/0/0"); v.String() != "101" {
		t.Fatalf("ssid %v", v)
	}
	if v := readOne(t, m, "/1/0/1"); v.String() != "900" {
		t.Fatalf("lifetime %v", v)
	}
}

func TestWriteErrors(t *testing.T) {
	m := withServer(t)
	for _, tc := range []struct {
		target string
		rec    lwm2m.Record
		want   error
	}{
		{"/3/0/0", rec(t, "/3/0/0", lwm2m.String("x")), ErrMethodNotAllowed}, // read-only
		{"/1/0", rec(t, "/1/0/0", lwm2m.Int(5)), ErrMethodNotAllowed},        // SSID is read-only
		{"/1/0/8", rec(t, "/1/0/8", lwm2m.Value{}), ErrMethodNotAllowed},     // executable
		{"/0/1/0", rec(t, "/0/1/0", lwm2m.String("coap://x")), ErrUnauthorized},
		{"/1/9/1", rec(t, "/1/9/1", lwm2m.Int(5)), ErrNotFound},
		{"/1/0/77", rec(t, "/1/0/77", lwm2m.Int(5)), ErrNotFound},
		{"/1/0/1", rec(t, "/1/0/1", lwm2m.String("soon")), ErrBadRequest}, // wrong type
		{"/1/0/1", rec(t, "/1/0/2", lwm2m.Int(5)), ErrBadRequest},         // outside the target
		{"/1/0/1/0", rec(t, "/1/0/1/0", lwm2m.Int(5)), ErrBadRequest},     // single resource
		{"/1", rec(t, "/1/0/1", lwm2m.Int(5)), ErrMethodNotAllowed},       // object level
	} {
		err := m.Write(path(t, tc.target), []lwm2m.Record{tc.rec}, true)
		if err == nil {
			t.Errorf("write %s %v succeeded", tc.target, tc.rec)
			continue
		}
		wantErr(t, err, tc.want)
	}
	if v := readOne(t, m, "/1/0/1"); v.String() != "300" {
		t.Fatalf("a failed write changed the lifetime: %v", v)
	}
}

func TestWriteCoercesUntypedNumbers(t *testing.T) {
	m := withServer(t)
	mustOK(t, m.Write(path(t, "/1/0/1"), []lwm2m.Record{rec(t, "/1/0/1", lwm2m.Float(120))}, true))
	if v := readOne(t, m, "/1/0/1"); v.Kind != lwm2m.KindInteger || v.String() != "120" {
		t.Fatalf("lifetime %v (%v)", v, v.Kind)
	}
	err := m.Write(path(t, "/1/0/1"), []lwm2m.Record{rec(t, "/1/0/1", lwm2m.Float(1.5))}, true)
	wantErr(t, err, ErrBadRequest)
}

func TestSetMultipleResourceInstance(t *testing.T) {
	m := New("ep", "1.1")
	mustOK(t, m.Set(path(t, "/3/0/11/1"), lwm2m.Int(3)))
	recs, err := m.Read(path(t, "/3/0/11"))
	mustOK(t, err)
	if len(recs) != 2 || recs[1].Value.String() != "3" {
		t.Fatalf("error codes %v", recs)
	}
	wantErr(t, m.Set(path(t, "/3/0/11"), lwm2m.Int(3)), ErrBadRequest)
	wantErr(t, m.Set(path(t, "/3/0/4"), lwm2m.Int(3)), ErrMethodNotAllowed)
	wantErr(t, m.Set(path(t, "/1/0/1"), lwm2m.Int(3)), ErrNotFound)
	mustOK(t, m.Execute(path(t, "/3/0/12"), ""))
	recs, _ = m.Read(path(t, "/3/0/11"))
	if len(recs) != 1 || recs[0].Value.String() != "0" {
		t.Fatalf("error codes after reset %v", recs)
	}
}

func TestSubscribeReportsChangedPaths(t *testing.T) {
	m := withServer(t)
	var got []string
	cancel := m.Subscribe(func(p lwm2m.Path) { got = append(got, p.String()) })
	mustOK(t, m.Write(path(t, "/1/0"), []lwm2m.Record{rec(t, "/1/0/1", lwm2m.Int(5)), rec(t, "/1/0/3", lwm2m.Int(50))}, false))
	mustOK(t, m.Set(path(t, "/3/0/3"), lwm2m.String("9")))
	id, err := m.Create(1, nil, []lwm2m.Record{
		rec(t, "/1/65535/0", lwm2m.Int(7)), rec(t, "/1/65535/1", lwm2m.Int(60)),
		rec(t, "/1/65535/6", lwm2m.Bool(false)), rec(t, "/1/65535/7", lwm2m.String("U")),
	})
	mustOK(t, err)
	mustOK(t, m.Delete(lwm2m.NewPath(1, id)))
	_ = m.Write(path(t, "/3/0/0"), []lwm2m.Record{rec(t, "/3/0/0", lwm2m.String("x"))}, true) // fails: no event
	cancel()
	mustOK(t, m.Set(path(t, "/3/0/3"), lwm2m.String("10")))
	want := []string{"/1/0/1", "/1/0/3", "/3/0/3", "/1/1", "/1/1"}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %v, want %v", got, want)
		}
	}
}
