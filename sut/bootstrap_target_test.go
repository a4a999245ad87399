package sut

import (
	"path/filepath"
	"slices"
	"testing"
)

// A profile naming {{.Bootstrap}} starts its client from a bootstrap
// account; the EST values render from the Target.
func TestExecBootstrapTargetsAndESTValues(t *testing.T) {
	without := mustLoad(t, "command: [x, \"--server={{.ServerURI}}\"]\n")
	if NewExec(without).(*Exec).BootstrapTargets() {
		t.Error("a profile without {{.Bootstrap}} claims bootstrap targets")
	}
	p := mustLoad(t, `command: [x, "--server={{.ServerURI}}", "{{if .Bootstrap}}--bootstrap{{end}}", "{{with .ESTStateFile}}--est-state={{.}}{{end}}", "--est-nominal-usage={{.ESTNominalUsage}}", "--est-max-margin={{.ESTMaxMargin}}"]`+"\n")
	if !NewExec(p).(*Exec).BootstrapTargets() {
		t.Fatal("a profile naming {{.Bootstrap}} does not claim bootstrap targets")
	}
	dir := t.TempDir()
	c, err := p.Render(Target{Endpoint: "e", ServerURI: "coaps://localhost:5684", Mode: "cert", Usage: -1, Bootstrap: true,
		StateFile: filepath.Join(dir, "state.json"), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"x", "--server=coaps://localhost:5684", "--bootstrap", "--est-state=" + filepath.Join(dir, "state.json.est"),
		"--est-nominal-usage=0.9", "--est-max-margin=720h"}
	if !slices.Equal(c.Args, want) {
		t.Fatalf("args %q\nwant %q", c.Args, want)
	}
	c, err = p.Render(Target{Endpoint: "e", ServerURI: "coaps://localhost:5684", Mode: "cert", Usage: -1, Dir: dir})
	if err != nil || slices.Contains(c.Args, "--bootstrap") || len(c.Args) != 4 {
		t.Fatalf("a server account: %q %v", c.Args, err)
	}
}
