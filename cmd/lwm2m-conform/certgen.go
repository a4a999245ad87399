package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

func init() {
	register("certgen", "generate the PKI fixtures (keys, certificates, trust stores, manifest)", cmdCertgen)
}

// cmdCertgen materialises every world spec and writes the files and manifest.
func cmdCertgen(args []string) error {
	c := newCommand("certgen", "lwm2m-conform certgen [--worlds DIR] --out DIR",
		"Materialises every world spec of --worlds and writes keys, certificates,\ntrust stores and a manifest into --out (worlds are replaced in place).")
	worldsDir := c.String("worlds", "fixtures/worlds", "directory of world specs (*.yaml)")
	out := c.String("out", "", "output directory (required)")
	rest, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr(fmt.Errorf("unexpected arguments %q", rest))
	}
	if *out == "" {
		return usageErr(errors.New("--out is required"))
	}
	start := time.Now()
	worlds, err := certgen.LoadDir(*worldsDir)
	if err != nil {
		return usageErr(err)
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
