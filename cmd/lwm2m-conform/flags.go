package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is a subcommand's flag set with the manners every command keeps:
// --help and -h print the usage to stdout and succeed; a flag error is
// one line naming the flag and the value, and exit status 2.
type command struct {
	*flag.FlagSet
	synopsis string // "lwm2m-conform run [flags]"
	about    string // what the command does, exit statuses
}

func newCommand(name, synopsis, about string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed as one line by main
	return &command{FlagSet: fs, synopsis: synopsis, about: about}
}

// usage writes the synopsis, the description and the flags.
func (c *command) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n", c.synopsis)
	if c.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.about))
	}
	n := 0
	c.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nflags:")
		c.SetOutput(w)
		c.PrintDefaults()
		c.SetOutput(io.Discard)
	}
}

// parse reads flags and positional arguments in any order. On --help it
// prints the usage to stdout and returns flag.ErrHelp, which main turns
// into exit status 0.
func (c *command) parse(args []string) (positional []string, err error) {
	for {
		if err := c.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.usage(os.Stdout)
				return nil, err
			}
			return nil, usageErr(err)
		}
		rest := c.Args()
		i := 0
		for i < len(rest) && (!strings.HasPrefix(rest[i], "-") || rest[i] == "-") {
			positional = append(positional, rest[i])
			i++
		}
		if i == len(rest) {
			return positional, nil
		}
		args = rest[i:]
	}
}

// cliError ends a command with a message and a status; main prints it.
type cliError struct {
	err  error
	code int
}

func (e cliError) Error() string { return e.err.Error() }
func (e cliError) Unwrap() error { return e.err }

// usageErr is a usage or input error: exit status 2.
func usageErr(err error) error { return cliError{err, 2} }

// badValue reports a flag value that parses but cannot be used, worded
// like the flag package's own errors.
func badValue(name, value, why string) error {
	return usageErr(fmt.Errorf("invalid value %q for flag -%s: %s", value, name, why))
}
