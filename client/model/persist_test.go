package model

import (
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

func TestMarshalRoundTrip(t *testing.T) {
	now := time.Unix(1_900_000_000, 0)
	clock := func() time.Time { return now }
	m := withServer(t)
	m.now = clock
	mustOK(t, m.PutSecurity(fullSecurity()))
	mustOK(t, m.BootstrapWrite(path(t, "/0/2/16"), []lwm2m.Record{{Path: path(t, "/0/2/16")}})) // empty list
	mustOK(t, m.Write(path(t, "/3/0/13"), []lwm2m.Record{rec(t, "/3/0/13", lwm2m.Time(now.Add(time.Hour)))}, true))
	data, err := m.Marshal()
	mustOK(t, err)

	n := New("ep1", "1.1", WithClock(clock))
	var events int
	n.Subscribe(func(lwm2m.Path) { events++ })
	mustOK(t, n.Unmarshal(data))
	a, err := m.ReadAll(lwm2m.Path{})
	mustOK(t, err)
	b, err := n.ReadAll(lwm2m.Path{})
	mustOK(t, err)
	if !lwm2m.RecordsEqual(a, b) {
		t.Fatalf("round trip differs\n%v\n%v", a, b)
	}
	if s := n.Security()[2]; s.CipherSuites == nil || len(s.CipherSuites) != 0 {
		t.Fatalf("empty cipher-suite list not kept: %#v", s.CipherSuites)
	}
	if events == 0 {
		t.Fatal("unmarshal notified no subscriber")
	}
}

func TestUnmarshalRejectsBadState(t *testing.T) {
	m := withServer(t)
	before, _ := m.Marshal()
	for _, bad := range []string{
		`not json`,
		`{"format":2}`,
		`{"format":1,"instances":[]}`, // no Device instance
		`{"format":1,"instances":[{"path":"/3/0"},{"path":"/9/0"}]}`,
		`{"format":1,"instances":[{"path":"/3/0","values":[{"path":"/3/0/13","value":"noon"}]}]}`,
		`{"format":1,"instances":[{"path":"/3/0","values":[{"path":"/3/0/4","value":"1"}]}]}`,
		`{"format":1,"instances":[{"path":"/3/0","values":[{"path":"/1/0/1","value":"1"}]}]}`,
		`{"format":1,"instances":[{"path":"/3/0"},{"path":"/3/1"}]}`,
	} {
		if err := m.Unmarshal([]byte(bad)); err == nil {
			t.Errorf("unmarshal %s succeeded", bad)
		}
	}
	after, _ := m.Marshal()
	if string(before) != string(after) {
		t.Fatal("a failed unmarshal changed the model")
	}
	if !strings.Contains(string(before), `"/0/1/5"`) {
		t.Fatal("secret key not persisted")
	}
}
