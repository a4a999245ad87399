package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/client/est"
	"github.com/lwm2m-conform/lwm2m-conform/client/provision"
)

func init() {
	register("client", "run the reference LwM2M client", cmdClient)
}

// cliDeregisterTimeout bounds the De-register on exit: the default CoAP
// ACK_TIMEOUT (RFC 7252 §4.8), enough for a server across a real network
// to answer, short enough that Ctrl-C stays prompt when it is gone.
const cliDeregisterTimeout = 2 * time.Second

func cmdClient(args []string) error { return clientCommand(args, os.Stdout, os.Stderr) }

// clientFlags binds every flag to s (and --config to config); the same
// function binds a second set when replaying flags over a YAML file.
func clientFlags(s *provision.Settings, config *string) *flag.FlagSet {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	fs.StringVar(config, "config", "", "YAML `file` with the same keys as the flags; flags override it")
	fs.StringVar(&s.Endpoint, "endpoint", s.Endpoint, "endpoint client `name` (required)")
	fs.StringVar(&s.Server, "server", s.Server, "server `URI`, coap:// or coaps:// (with --bootstrap, a bootstrap server)")
	fs.BoolVar(&s.Bootstrap, "bootstrap", s.Bootstrap, "--server is a bootstrap server: bootstrap first, then register")
	fs.StringVar(&s.Mode, "mode", s.Mode, "security `mode`: psk, cert or nosec (default: inferred from the URI and credentials)")
	fs.StringVar(&s.PSKIdentity, "psk-identity", s.PSKIdentity, "PSK `identity` (/0/x/3)")
	fs.StringVar(&s.PSKKey, "psk-key", s.PSKKey, "PSK key in `hex` (/0/x/5)")
	fs.StringVar(&s.Cert, "cert", s.Cert, "client certificate `file`, PEM or DER (/0/x/3)")
	fs.StringVar(&s.Key, "key", s.Key, "client private key `file`, PEM or DER; PKCS#8, SEC1 or PKCS#1 (/0/x/5)")
	fs.StringVar(&s.ServerCert, "server-cert", s.ServerCert, "Server Public Key certificate `file`, PEM or DER (/0/x/4)")
	fs.StringVar(&s.TrustStore, "truststore", s.TrustStore, "trust store: PEM bundle `file` or directory of PEM/DER files")
	fs.StringVar(&s.CertUsage, "cert-usage", s.CertUsage, "Certificate Usage 0..3 (/0/x/15); omit to leave it unset (DANE-EE)")
	fs.StringVar(&s.SNI, "sni", s.SNI, "Server Name Indication `host` (/0/x/14); default: the URI host unless it is an IP")
	fs.StringVar(&s.CipherSuites, "ciphersuites", s.CipherSuites, "cipher suites to offer, e.g. `0xC0A8,0xC02B` (/0/x/16); default: a secure list for the mode")
	fs.BoolVar(&s.CID, "cid", s.CID, "negotiate DTLS Connection ID (RFC 9146)")
	fs.DurationVar(&s.Lifetime, "lifetime", s.Lifetime, "registration lifetime (/1/x/1), whole seconds")
	fs.StringVar(&s.LwM2MVersion, "lwm2m-version", s.LwM2MVersion, "LwM2M `version` to register with: 1.0 or 1.1")
	fs.UintVar(&s.SSID, "ssid", s.SSID, "Short Server ID of the server account")
	fs.StringVar(&s.State, "state", s.State, "state `file`: data model and DTLS sessions, restored at start (it then wins over the provisioning flags)")
	fs.StringVar(&s.KeyLog, "keylog", s.KeyLog, "append NSS key log lines to `file` (default: $SSLKEYLOGFILE)")
	fs.DurationVar(&s.HandshakeTimeout, "handshake-timeout", s.HandshakeTimeout, "bound on each DTLS handshake")
	fs.DurationVar(&s.FlightInterval, "flight-interval", s.FlightInterval, "DTLS retransmission interval (fixed: pion has no backoff)")
	fs.DurationVar(&s.AckTimeout, "ack-timeout", s.AckTimeout, "CoAP ACK_TIMEOUT for confirmable requests (0 = RFC 7252's 2s)")
	fs.IntVar(&s.MaxPSKLen, "max-psk-len", s.MaxPSKLen, "refuse PSKs longer than this many bytes, like an mbed TLS build's MBEDTLS_PSK_MAX_LEN (0 = no limit)")
	fs.DurationVar(&s.RequestTimeout, "request-timeout", s.RequestTimeout, "give up a CoAP request (and reconnect) after this long; default is CoAP's MAX_TRANSMIT_WAIT")
	fs.Float64Var(&s.ESTNominalUsage, "est-nominal-usage", s.ESTNominalUsage, "Security Mode 4: re-enrol (/sren) after this `fraction` of the time from provisioning to expiry")
	fs.DurationVar(&s.ESTMaxMargin, "est-max-margin", s.ESTMaxMargin, "Security Mode 4: re-enrol at the latest this long before expiry, unless --est-nominal-usage comes later")
	fs.StringVar(&s.ESTState, "est-state", s.ESTState, "Security Mode 4: EST state `file` (key, certificate, /crts anchors; mode 0600); default: --state with .est appended, else memory only")
	fs.BoolVar(&s.ESTDiscovery, "est-discovery", s.ESTDiscovery, "Security Mode 4: discover the EST resources (GET /.well-known/core?rt=ace.est*) before using them")
	fs.Var(&faultFlag{&s.Faults, false}, "fault", "DELIBERATELY BROKEN: switch on the fault `name` (repeatable, or a comma list; listed below)")
	fs.DurationVar(&s.FaultDelay, "fault-delay", s.FaultDelay, "how late the slow fault sends each handshake datagram")
	fs.BoolVar(&s.InsecureAnyServer, "insecure-accept-any-server", s.InsecureAnyServer, "DELIBERATELY BROKEN: alias of --fault accept-any")
	fs.StringVar(&s.LogFormat, "log-format", s.LogFormat, "log `format`: text or json")
	fs.StringVar(&s.LogLevel, "log-level", s.LogLevel, "log `level`: debug, info or warn")
	fs.BoolVar(&s.ExitAfterRegister, "exit-after-register", s.ExitAfterRegister, "De-register and exit 0 once registered")
	return fs
}

// faultFlag is --fault. The first use on a command line replaces the list
// from --config, as any flag overrides the file; later uses add to it.
type faultFlag struct {
	list *[]string
	set  bool
}

func (f *faultFlag) String() string {
	if f.list == nil {
		return ""
	}
	return strings.Join(*f.list, ",")
}

func (f *faultFlag) Set(v string) error {
	if !f.set {
		*f.list, f.set = nil, true
	}
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name != "" && !slices.Contains(*f.list, name) {
			*f.list = append(*f.list, name)
		}
	}
	return nil
}

// activeFaults is --fault with its alias --insecure-accept-any-server.
func activeFaults(s provision.Settings) []string {
	out := slices.Clone(s.Faults)
	if s.InsecureAnyServer && !slices.Contains(out, string(client.FaultAcceptAny)) {
		out = append(out, string(client.FaultAcceptAny))
	}
	return out
}

// dieNow ends the process for crash-after-handshake: a real SIGKILL, so
// the harness sees the death by signal an exec SUT can suffer.
func dieNow() {
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	time.Sleep(time.Second) // the signal lands meanwhile
}

// clientDefaults are provision's defaults plus the client's fault delay.
func clientDefaults() provision.Settings {
	s := provision.Defaults()
	s.FaultDelay = client.DefaultFaultDelay
	return s
}

// usageError is printed as one line and ends the command with status 2.
func usageError(stderr io.Writer, err error) error {
	fmt.Fprintf(stderr, "lwm2m-conform client: %v\n", err)
	return exitCode(2)
}

// clientCommand parses the flags (over --config), provisions the client and
// runs it until SIGINT/SIGTERM, a fatal error, or the first registration
// with --exit-after-register.
func clientCommand(args []string, stdout, stderr io.Writer) error {
	s, err := parseClientSettings(args, stdout, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, s.LogFormat, s.LogLevel)
	if err != nil {
		return usageError(stderr, err)
	}
	faults := activeFaults(s)
	if err := client.CheckFaults(faults); err != nil {
		return usageError(stderr, fmt.Errorf("--fault: %v", err))
	}
	estPolicy := est.Policy{NominalUsage: s.ESTNominalUsage, MaxMargin: s.ESTMaxMargin}
	if err := estPolicy.Validate(); err != nil {
		return usageError(stderr, fmt.Errorf("--est-nominal-usage, --est-max-margin: %v", err))
	}
	prov, err := provision.Build(s)
	if err != nil {
		return usageError(stderr, err)
	}
	keylog, err := openKeyLog(s.KeyLog)
	if err != nil {
		return usageError(stderr, err)
	}
	if keylog != nil {
		defer keylog.Close()
		log.Warn("DTLS key log enabled: captured traffic can be decrypted", "file", keylog.Name())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var registered atomic.Bool
	opts := client.Options{
		Model:             prov.Model,
		TrustStore:        prov.TrustStore,
		Logger:            log,
		StateFile:         s.State,
		HandshakeTimeout:  s.HandshakeTimeout,
		FlightInterval:    s.FlightInterval,
		RequestTimeout:    s.RequestTimeout,
		MaxPSKLen:         s.MaxPSKLen,
		AckTimeout:        s.AckTimeout,
		ConnectionID:      s.CID,
		Faults:            faults,
		FaultDelay:        s.FaultDelay,
		Die:               dieNow,
		DeregisterTimeout: cliDeregisterTimeout,
		EST:               client.ESTOptions{Policy: estPolicy, Discovery: s.ESTDiscovery, StateFile: s.ESTState},
		OnRegistered: func(ssid uint16, location string) {
			registered.Store(true)
			if s.ExitAfterRegister {
				cancel()
			}
		},
	}
	if keylog != nil {
		opts.KeyLogWriter = keylog
	}
	c, err := client.New(opts)
	if err != nil {
		return usageError(stderr, err)
	}
	log.Info("client starting", "endpoint", s.Endpoint, "server", s.Server, "bootstrap", s.Bootstrap, "mode", prov.Mode, "lwm2m", s.LwM2MVersion)
	err = c.Run(ctx)
	switch {
	case errors.Is(err, context.Canceled) && s.ExitAfterRegister && !registered.Load():
		return errors.New("stopped before registering")
	case errors.Is(err, context.Canceled):
		log.Info("client stopped")
		return nil
	default:
		return err
	}
}

// parseClientSettings applies, in order: defaults, the --config file, the
// flags given on the command line.
// Help goes to stdout, errors to stderr.
func parseClientSettings(args []string, stdout, stderr io.Writer) (provision.Settings, error) {
	s := clientDefaults()
	var config string
	fs := clientFlags(&s, &config)
	fs.SetOutput(io.Discard) // errors are printed as one line below
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: lwm2m-conform client --endpoint NAME --server URI [flags]")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fmt.Fprintln(stdout, "\nfaults (--fault NAME): a deliberately broken client, to show that a harness check can fail")
			for _, f := range client.KnownFaults() {
				fmt.Fprintf(stdout, "  %-22s %s\n", f.Name, f.Meaning)
			}
			return s, err
		}
		return s, usageError(stderr, err)
	}
	if fs.NArg() > 0 {
		return s, usageError(stderr, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if config == "" {
		return s, nil
	}
	base := clientDefaults()
	if err := provision.LoadYAML(config, &base); err != nil {
		return s, usageError(stderr, fmt.Errorf("--config %s: %v", config, oneLine(err)))
	}
	var ignored string
	over := clientFlags(&base, &ignored)
	var setErr error
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "config" || setErr != nil {
			return
		}
		setErr = over.Set(f.Name, f.Value.String())
	})
	if setErr != nil {
		return s, usageError(stderr, setErr)
	}
	return base, nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "info":
		lv = slog.LevelInfo
	case "warn", "warning":
		lv = slog.LevelWarn
	default:
		return nil, fmt.Errorf("--log-level: %q is not debug, info or warn", level)
	}
	ho := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	default:
		return nil, fmt.Errorf("--log-format: %q is not text or json", format)
	}
}

// openKeyLog opens the key log for appending, mode 0600: it holds
// secrets. --keylog wins over SSLKEYLOGFILE.
func openKeyLog(path string) (*os.File, error) {
	flagName := "--keylog"
	if path == "" {
		path, flagName = os.Getenv("SSLKEYLOGFILE"), "SSLKEYLOGFILE"
	}
	if path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", flagName, path, err)
	}
	return f, nil
}

// oneLine folds a multi-line error (YAML reports several) into one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
