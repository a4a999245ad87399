package model

import (
	"errors"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func serverRecords(t *testing.T, inst string, ssid int64) []lwm2m.Record {
	return []lwm2m.Record{
		rec(t, "/1/"+inst+"/0", lwm2m.Int(ssid)), rec(t, "/1/"+inst+"/1", lwm2m.Int(60)),
		rec(t, "/1/"+inst+"/6", lwm2m.Bool(true)), rec(t, "/1/"+inst+"/7", lwm2m.String("UQ")),
	}
}

func TestCreateAndDelete(t *testing.T) {
	m := withServer(t)
	id, err := m.Create(1, nil, serverRecords(t, "65535", 102))
	mustOK(t, err)
	if id != 1 {
		t.Fatalf("created id %d, want the lowest free id 1", id)
	}
	want := uint16(7)
	id, err = m.Create(1, &want, serverRecords(t, "7", 103))
	mustOK(t, err)
	if id != 7 {
		t.Fatalf("created id %d, want 7", id)
	}
	if got := m.Instances(1); len(got) != 3 || got[2] != 7 {
		t.Fatalf("instances %v", got)
	}
	_, err = m.Create(1, &want, serverRecords(t, "7", 104))
	wantErr(t, err, ErrBadRequest) // exists
	_, err = m.Create(1, nil, serverRecords(t, "2", 105)[:2])
	wantErr(t, err, ErrBadRequest) // mandatory resources missing
	_, err = m.Create(3, nil, nil)
	wantErr(t, err, ErrBadRequest) // single instance
	_, err = m.Create(0, nil, nil)
	wantErr(t, err, ErrUnauthorized)
	_, err = m.Create(9, nil, nil)
	wantErr(t, err, ErrNotFound)
	_, err = m.Create(1, &want, append(serverRecords(t, "7", 1), rec(t, "/1/8/1", lwm2m.Int(1))))
	wantErr(t, err, ErrBadRequest) // records for another instance

	mustOK(t, m.Delete(lwm2m.NewPath(1, 7)))
	wantErr(t, m.Delete(lwm2m.NewPath(1, 7)), ErrNotFound)
	wantErr(t, m.Delete(lwm2m.NewPath(3, 0)), ErrMethodNotAllowed)
	wantErr(t, m.DeleteInstance(3, 0), ErrMethodNotAllowed)
	wantErr(t, m.Delete(lwm2m.NewPath(0, 1)), ErrUnauthorized)
	wantErr(t, m.Delete(lwm2m.NewPath(1)), ErrMethodNotAllowed)
	wantErr(t, m.Delete(lwm2m.NewPath(1, 0, 1)), ErrMethodNotAllowed)
}

func TestExecuteHooksAndErrors(t *testing.T) {
	m := withServer(t)
	var calls []string
	m.OnExecute(path(t, "/3/0/4"), func(args string) error { calls = append(calls, "reboot:"+args); return nil })
	m.OnExecuteResource(1, 8, func(inst uint16, args string) error {
		calls = append(calls, "update:"+lwm2m.NewPath(1, inst).String())
		return nil
	})
	boom := errors.New("boom")
	m.OnExecute(path(t, "/3/0/5"), func(string) error { return boom })

	mustOK(t, m.Execute(path(t, "/3/0/4"), "0='now',1"))
	mustOK(t, m.Execute(path(t, "/1/0/8"), ""))
	if err := m.Execute(path(t, "/3/0/5"), ""); !errors.Is(err, boom) {
		t.Fatalf("hook error not passed through: %v", err)
	}
	if len(calls) != 2 || calls[0] != "reboot:0='now',1" || calls[1] != "update:/1/0" {
		t.Fatalf("calls %v", calls)
	}
	for _, tc := range []struct {
		path, args string
		want       error
	}{
		{"/3/0/0", "", ErrMethodNotAllowed},
		{"/3/0", "", ErrMethodNotAllowed},
		{"/3/0/99", "", ErrNotFound},
		{"/1/5/8", "", ErrNotFound},
		{"/0/1/0", "", ErrUnauthorized},
		{"/3/0/4", "x", ErrBadRequest},
		{"/3/0/4", "0=now", ErrBadRequest},
		{"/3/0/4", "0,", ErrBadRequest},
		{"/3/0/4", "0='a", ErrBadRequest},
		{"/3/0/4", "12", ErrBadRequest},
	} {
		wantErr(t, m.Execute(path(t, tc.path), tc.args), tc.want)
	}
	m.OnExecute(path(t, "/3/0/4"), nil)
	mustOK(t, m.Execute(path(t, "/3/0/4"), ""))
	if len(calls) != 2 {
		t.Fatalf("removed hook still ran: %v", calls)
	}
}
