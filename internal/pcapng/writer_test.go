package pcapng

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	server = &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40001}
	client = &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50002}
)

func create(t *testing.T, o Options) (*Writer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.pcapng")
	// A world-readable capture left by an earlier run is replaced.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Create(path, o)
	if err != nil {
		t.Fatal(err)
	}
	return w, path
}

func read(t *testing.T, path string) *File {
	t.Helper()
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPacketsAsWritten(t *testing.T) {
	w, path := create(t, Options{App: "test", IfName: "if", IfDescription: "desc", ShowPortAs: map[int]int{server.Port: CoAPSPort}})
	at := time.Unix(1700000000, 123456789)
	w.Packet(at, client, server, []byte("hello"), true, "first")
	w.Packet(at.Add(time.Millisecond), server, client, []byte{}, false, "")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Packet(at, client, server, []byte("late"), true, "") // ignored after Close
	f := read(t, path)
	if f.App != "test" || f.IfName != "if" || f.IfDescription != "desc" || len(f.KeyLogs) != 0 {
		t.Fatalf("file %+v", f)
	}
	if len(f.Packets) != 2 {
		t.Fatalf("%d packets", len(f.Packets))
	}
	p := f.Packets[0]
	if p.Src.String() != client.String() || p.Dst.String() != "127.0.0.1:5684" || string(p.Payload) != "hello" ||
		p.Comment != "first" || !p.Inbound || !p.At.Equal(at) {
		t.Errorf("packet 1 %+v", p)
	}
	if p := f.Packets[1]; p.Src.Port != CoAPSPort || p.Inbound || p.Truncated() || len(p.Payload) != 0 {
		t.Errorf("packet 2 %+v", p)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v: a capture gets session secrets embedded", st.Mode().Perm())
	}
}

// Past the limit a capture keeps the headers of the first datagram left out
// and of the last, each with a comment saying what is missing.
func TestLimitMarksTheCut(t *testing.T) {
	w, path := create(t, Options{IfName: "if", Limit: 1000})
	payload := bytes.Repeat([]byte{'x'}, 200)
	for range 20 {
		w.Packet(time.Now(), client, server, payload, true, "")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := read(t, path)
	var full []Packet
	for _, p := range f.Packets {
		if !p.Truncated() {
			full = append(full, p)
		}
	}
	cut := f.Packets[len(full):]
	if len(full) != 3 || len(cut) != 2 {
		t.Fatalf("%d whole and %d cut packets, want 3 and 2", len(full), len(cut))
	}
	if !strings.Contains(cut[0].Comment, "capture limit of 1000 bytes reached") || cut[0].OrigLen != 28+200 {
		t.Errorf("first cut %+v", cut[0])
	}
	if !strings.Contains(cut[1].Comment, "last of 17 datagrams (3400 bytes of payload)") {
		t.Errorf("last cut %+v", cut[1])
	}
	if st, _ := os.Stat(path); st.Size() > 1000+400 {
		t.Errorf("capture of %d bytes with a 1000-byte limit", st.Size())
	}
}

func TestEmbedKeyLogPrecedesThePackets(t *testing.T) {
	w, path := create(t, Options{IfName: "if"})
	w.Packet(time.Now(), client, server, []byte("one"), true, "")
	w.Packet(time.Now(), server, client, []byte("two"), false, "")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := EmbedKeyLog(path, nil); err != nil {
		t.Fatal(err)
	}
	if f := read(t, path); len(f.KeyLogs) != 0 {
		t.Fatal("an empty key log was embedded")
	}
	keylog := []byte("CLIENT_RANDOM 00 01\n")
	if err := EmbedKeyLog(path, keylog); err != nil {
		t.Fatal(err)
	}
	f := read(t, path)
	if len(f.KeyLogs) != 1 || !bytes.Equal(f.KeyLogs[0], keylog) || !f.SecretsFirst {
		t.Fatalf("key logs %q, before the packets: %v", f.KeyLogs, f.SecretsFirst)
	}
	if len(f.Packets) != 2 || string(f.Packets[1].Payload) != "two" {
		t.Fatalf("packets %+v", f.Packets)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after embedding session secrets", st.Mode().Perm())
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
	if err := EmbedKeyLog(filepath.Join(t.TempDir(), "none.pcapng"), keylog); err == nil {
		t.Error("no error for a missing capture")
	}
}

// tshark reads a capture with its secrets and cut markers without a
// complaint, and shows the comments.
func TestTsharkReadsTheFile(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI")
		}
		t.Skip("tshark not installed")
	}
	w, path := create(t, Options{IfName: "if", Limit: 200, ShowPortAs: map[int]int{server.Port: CoAPSPort}})
	for range 5 {
		w.Packet(time.Now(), client, server, bytes.Repeat([]byte{'x'}, 100), true, "")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := EmbedKeyLog(path, []byte("CLIENT_RANDOM 00 01\n")); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tshark", "-r", path, "-T", "fields", "-e", "frame.comment").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "capture limit of 200 bytes reached") || !strings.Contains(string(out), "last of 4 datagrams") {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
}
