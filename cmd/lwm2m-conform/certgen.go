package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

func init() {
	register("certgen", "generate the PKI fixtures (keys, certificates, trust stores, manifest)", cmdCertgen)
}

// cmdCertgen materialises every world spec and writes the files and manifest.
func cmdCertgen(args []string) error {
	fs := flag.NewFlagSet("certgen", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	worldsDir := fs.String("worlds", "fixtures/worlds", "directory of world specs (*.yaml)")
	out := fs.String("out", "", "output directory (required); worlds are replaced in place")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: lwm2m-conform certgen [--worlds DIR] --out DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *out == "" {
		fs.Usage()
		return errors.New("--out is required")
	}
	start := time.Now()
	worlds, err := certgen.LoadDir(*worldsDir)
	if err != nil {
		return err
	}
	set, err := certgen.Materialise(worlds, start)
	if err != nil {
		return err
	}
	m, err := set.Write(*out)
	if err != nil {
		return err
	}
	fmt.Printf("certgen: %d artefacts from %d worlds written to %s in %s\n",
		len(m.Artefacts), len(worlds), *out, time.Since(start).Round(time.Millisecond))
	return nil
}
