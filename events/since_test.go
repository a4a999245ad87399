package events

import "testing"

func TestSinceKeepsTheFollowersPlace(t *testing.T) {
	l := NewLog()
	for _, s := range []string{"a", "b", "c"} {
		l.Add(Event{Kind: Note, Summary: s})
	}
	got := l.Since(1)
	if len(got) != 2 || got[0].Summary != "b" || got[1].Summary != "c" {
		t.Fatalf("Since(1) = %+v", got)
	}
	got[0].Summary = "changed"
	if l.Events()[1].Summary != "b" {
		t.Fatal("Since returned the log's own storage")
	}
	if len(l.Since(3)) != 0 || len(l.Since(9)) != 0 {
		t.Fatal("Since past the end is not empty")
	}
}
