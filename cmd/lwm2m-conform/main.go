// Command lwm2m-conform is the one CLI of the harness: it generates PKI
// fixtures, lists the catalogue, runs it against a client under test,
// reproduces single cases, combines and compares reports, and runs the
// reference client or harness servers.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// subcommands maps a name to its entry point; each lives in its own file.
var subcommands = map[string]struct {
	run   func(args []string) error
	brief string
}{}

func register(name, brief string, run func(args []string) error) {
	subcommands[name] = struct {
		run   func(args []string) error
		brief string
	}{run, brief}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lwm2m-conform COMMAND [flags]   (lwm2m-conform COMMAND --help for its flags)\n\ncommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].brief)
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:]))
}

// dispatch runs one command and returns the process's exit status: 0 on
// success and for --help, 2 for usage and input errors, 1 for other
// errors, or the status a command chose (run: 1 for failures, 130/143
// when interrupted).
func dispatch(args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		usage(os.Stdout)
		return 0
	case "help":
		if len(args) == 1 {
			usage(os.Stdout)
			return 0
		}
		name, args = args[1], []string{args[1], "--help"}
	}
	sc, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "lwm2m-conform: unknown command %q\n", name)
		usage(os.Stderr)
		return 2
	}
	err := sc.run(args[1:])
	var ec exitCode
	var ce cliError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ec):
		return int(ec)
	case errors.As(err, &ce):
		fmt.Fprintf(os.Stderr, "lwm2m-conform %s: %v\n", name, err)
		return ce.code
	}
	fmt.Fprintf(os.Stderr, "lwm2m-conform %s: %v\n", name, err)
	return 1
}

// exitCode lets a subcommand end with a chosen status after printing its own output.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
