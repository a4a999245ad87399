// Command lwm2m-conform is the one CLI of the harness: it generates PKI
// fixtures, lists the catalogue, runs it against a client under test,
// reproduces single cases, and runs the reference client or harness servers.
package main

import (
	"errors"
	"flag"
	"fmt"
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

func usage() {
	fmt.Fprintln(os.Stderr, "usage: lwm2m-conform COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, subcommands[n].brief)
	}
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		os.Exit(2)
	}
	sc, ok := subcommands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "lwm2m-conform: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := sc.run(os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		var ec exitCode
		if errors.As(err, &ec) {
			os.Exit(int(ec))
		}
		fmt.Fprintf(os.Stderr, "lwm2m-conform %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// exitCode lets a subcommand end with a chosen status after printing its own output.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
