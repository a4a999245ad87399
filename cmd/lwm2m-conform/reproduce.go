package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func init() {
	register("reproduce", "rerun one case verbosely with its full evidence", cmdReproduce)
}

func cmdReproduce(args []string) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	var rf runFlags
	rf.bind(fs)
	out := fs.String("out", "reports/reproduce", "evidence directory")
	// Accept the case id before or after the flags.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return fmt.Errorf("usage: lwm2m-conform reproduce CASE-ID [--sut reference|PROFILE.yaml]")
	}
	rf.verbose = true
	fx, err := loadFixtures(rf.fixtures)
	if err != nil {
		return err
	}
	c, ok := fx.Catalogue.Get(id)
	if !ok {
		return fmt.Errorf("no case %q (lwm2m-conform cases lists them)", id)
	}
	r, adapter, err := rf.runner(os.Stderr)
	if err != nil {
		return err
	}
	r.EvidenceRoot = *out
	ctx, stop := signalContext()
	defer stop()

	fmt.Printf("case     %s\n%s\nsource   %s (basis %s)\nexpect   %s\nSUT      %s\n\n", c.ID, c.Description, c.Source, c.Basis, c.Expect, adapter.Name())
	res := r.Run(ctx, c)
	if res.SUTCommand != "" {
		fmt.Printf("SUT command line:\n  %s\n\n", res.SUTCommand)
	}
	fmt.Println("events:")
	for _, e := range res.Events {
		fmt.Printf("  +%7.1fms  %-16s %s\n", float64(e.Time.Sub(res.Events[0].Time).Microseconds())/1000, e.Kind, e.Summary)
	}
	if res.SUTOutput != "" {
		fmt.Printf("\nSUT output:\n%s\n", indent(res.SUTOutput))
	}
	fmt.Printf("\nobserved %s\n", res.Observation)
	if o := res.Observation; o.DecidedBy != "" {
		fmt.Printf("         decided by %s at +%s\n", o.DecidedBy, o.DecidedAt)
	}
	if res.Observation.Exit != "" {
		fmt.Printf("exit     %s\n", res.Observation.Exit)
	}
	fmt.Printf("verdict  %s — %s\n", res.Verdict, res.Reason)
	for _, c := range res.Checks {
		fmt.Printf("check    %s", report.CheckLine(c))
		if c.Basis != "" || c.Source != "" {
			fmt.Printf("  [basis %s; source %s]", c.Basis, c.Source)
		}
		fmt.Println()
	}
	if res.EvidenceDir != "" {
		fmt.Printf("evidence %s (events.json, sut-output.log, sslkeylog.txt, capture.pcapng for proxied cases)\n", res.EvidenceDir)
		if _, err := os.Stat(filepath.Join(res.EvidenceDir, "sslkeylog.txt")); err == nil {
			fmt.Printf("         Wireshark: Preferences → Protocols → TLS → (Pre)-Master-Secret log filename = %s\n", filepath.Join(res.EvidenceDir, "sslkeylog.txt"))
		}
		if _, err := os.Stat(filepath.Join(res.EvidenceDir, "capture.pcapng")); err == nil {
			fmt.Printf("         capture: tshark -r %s -o tls.keylog_file:%s -d udp.port==PORT,dtls -d dtls.port==PORT,coap\n",
				filepath.Join(res.EvidenceDir, "capture.pcapng"), filepath.Join(res.EvidenceDir, "sslkeylog.txt"))
			fmt.Println("         (PORT = the harness server port: the destination of the first packet)")
		}
	}
	if res.Verdict == verdict.Fail && res.Baseline == "" {
		return exitCode(1)
	}
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
