package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/certlint"
)

func init() {
	register("lint", "check certificates or a chain against a certificate profile", cmdLint)
}

// Exit statuses of lint: findings of severity error fail, warnings only
// with --strict, notices never.
const (
	lintClean    = 0
	lintFindings = 1
	lintUsage    = 2
)

func cmdLint(args []string) error { return lintCommand(args, os.Stdout, os.Stderr) }

func lintCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	profile := fs.String("profile", "lwm2m-device", "built-in profile name or profile YAML file")
	endpoint := fs.String("endpoint", "", "endpoint name the leaf's CN must equal")
	account := fs.String("account", "", "account id the leaf's OU must equal")
	maxDepth := fs.Int("max-depth", 0, "most certificates the chain may hold (0: not checked)")
	asJSON := fs.Bool("json", false, "print findings as JSON")
	strict := fs.Bool("strict", false, "warnings fail too")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, `usage: lwm2m-conform lint [flags] CERT|CHAIN...

Checks a certificate, or a chain leaf first, against a certificate profile.
Files are PEM (any number of certificates) or DER (one each); several files
form one chain in the order given. Built-in profiles: %s.

Exit status: 0 no finding of severity error (warnings pass unless --strict;
notices never fail), 1 at least one failing finding, 2 usage or input error.

flags:
`, strings.Join(certlint.Names(), ", "))
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return nil
		}
		fmt.Fprintln(stderr, "lwm2m-conform lint:", err)
		usage(stderr)
		return exitCode(lintUsage)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "lwm2m-conform lint: no certificate given")
		usage(stderr)
		return exitCode(lintUsage)
	}
	p, err := certlint.Load(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "lwm2m-conform lint:", err)
		return exitCode(lintUsage)
	}
	ders, encoding, err := readChain(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "lwm2m-conform lint:", err)
		return exitCode(lintUsage)
	}
	findings, err := p.LintDER(ders, certlint.Params{Endpoint: *endpoint, Account: *account, MaxDepth: *maxDepth, Encoding: encoding})
	if err != nil {
		fmt.Fprintln(stderr, "lwm2m-conform lint:", err)
		return exitCode(lintUsage)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []certlint.Finding{}
		}
		if err := enc.Encode(findings); err != nil {
			return err
		}
	} else {
		printFindings(stdout, p, len(ders), findings)
	}
	fail := certlint.Rank(certlint.Error)
	if *strict {
		fail = certlint.Rank(certlint.Warn)
	}
	if certlint.Rank(certlint.Worst(findings)) >= fail {
		return exitCode(lintFindings)
	}
	return nil
}

// readChain reads the files in order. encoding is "der" if any file was
// DER, else "pem", which is what the PEM-only chain rule judges.
func readChain(files []string) ([][]byte, string, error) {
	var ders [][]byte
	encoding := "pem"
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, "", err
		}
		if !bytes.Contains(data, []byte("-----BEGIN")) {
			ders = append(ders, data)
			encoding = "der"
			continue
		}
		n := 0
		for rest := data; ; {
			var b *pem.Block
			if b, rest = pem.Decode(rest); b == nil {
				break
			}
			if b.Type == "CERTIFICATE" {
				ders = append(ders, b.Bytes)
				n++
			}
		}
		if n == 0 {
			return nil, "", fmt.Errorf("%s: no CERTIFICATE block", f)
		}
	}
	return ders, encoding, nil
}

func printFindings(w io.Writer, p *certlint.Profile, n int, fs []certlint.Finding) {
	fmt.Fprintf(w, "profile %s, %d certificate(s), %d rule(s)\n", p.Name, n, len(p.Rules))
	for _, f := range fs {
		fmt.Fprintf(w, "cert %d  %-6s  %s  %s\n         source: %s (%s)\n", f.Cert, f.Severity, f.Rule, f.Message, f.Source, f.Basis)
	}
	if len(fs) == 0 {
		fmt.Fprintln(w, "clean: no findings")
		return
	}
	count := map[string]int{}
	for _, f := range fs {
		count[f.Severity]++
	}
	fmt.Fprintf(w, "%d error, %d warn, %d notice\n", count[certlint.Error], count[certlint.Warn], count[certlint.Notice])
}
