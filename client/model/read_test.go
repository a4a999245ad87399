package model

import (
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestDeviceDefaults(t *testing.T) {
	m := New("ep-7", "1.1", WithFirmwareVersion("2.3.4"))
	recs, err := m.Read(path(t, "/3/0"))
	mustOK(t, err)
	got := map[string]string{}
	for _, r := range recs {
		got[r.Path.String()] = r.Value.String()
	}
	want := map[string]string{
		"/3/0/0": "lwm2m-conform", "/3/0/1": "reference-client", "/3/0/2": "ep-7", "/3/0/3": "2.3.4",
		"/3/0/11/0": "0", "/3/0/14": "+00:00", "/3/0/15": "UTC", "/3/0/16": "UQ",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["/3/0/4"]; ok {
		t.Error("instance read includes the executable Reboot resource")
	}
	if _, ok := got["/3/0/13"]; !ok {
		t.Error("instance read lacks Current Time")
	}
}

func TestReadLevels(t *testing.T) {
	m := withServer(t)
	obj, err := m.Read(path(t, "/1"))
	mustOK(t, err)
	inst, err := m.Read(path(t, "/1/0"))
	mustOK(t, err)
	if !lwm2m.RecordsEqual(obj, inst) || len(obj) != 5 {
		t.Fatalf("object read %v, instance read %v", obj, inst)
	}
	res, err := m.Read(path(t, "/1/0/1"))
	mustOK(t, err)
	if len(res) != 1 || res[0].Value.String() != "300" {
		t.Fatalf("lifetime read %v", res)
	}
	ri, err := m.Read(path(t, "/3/0/11/0"))
	mustOK(t, err)
	if len(ri) != 1 || ri[0].Path.String() != "/3/0/11/0" {
		t.Fatalf("resource instance read %v", ri)
	}
}

func TestReadErrors(t *testing.T) {
	m := withServer(t)
	for _, tc := range []struct {
		path string
		want error
	}{
		{"/0", ErrUnauthorized},
		{"/0/1/0", ErrUnauthorized},
		{"/3/0/4", ErrMethodNotAllowed}, // executable
		{"/3/0/99", ErrNotFound},
		{"/3/1", ErrNotFound},
		{"/1/0/2/0", ErrNotFound}, // single resource has no instances
		{"/3/0/11/5", ErrNotFound},
		{"/3/0/9", ErrNotFound}, // defined, not set
		{"/42", ErrNotFound},
		{"/", ErrMethodNotAllowed},
	} {
		_, err := m.Read(path(t, tc.path))
		if err == nil {
			t.Errorf("read %s succeeded", tc.path)
			continue
		}
		wantErr(t, err, tc.want)
	}
}

func TestCurrentTimeFollowsClockAndWrites(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	m := New("ep", "1.1", WithClock(func() time.Time { return now }))
	if got, _ := readOne(t, m, "/3/0/13").AsTime(); !got.Equal(now) {
		t.Fatalf("current time %v, want %v", got, now)
	}
	set := now.Add(-time.Hour)
	mustOK(t, m.Write(path(t, "/3/0/13"), []lwm2m.Record{rec(t, "/3/0/13", lwm2m.Time(set))}, true))
	now = now.Add(10 * time.Second)
	if got, _ := readOne(t, m, "/3/0/13").AsTime(); !got.Equal(set.Add(10 * time.Second)) {
		t.Fatalf("current time after write %v, want %v", got, set.Add(10*time.Second))
	}
	if m.ClockOffset() != -time.Hour {
		t.Fatalf("offset %v", m.ClockOffset())
	}
}
