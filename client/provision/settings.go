// Package provision turns the reference client's command-line and YAML
// settings into a provisioned data model (factory bootstrap, or a single
// bootstrap Security instance) and a trust store.
package provision

import (
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// Settings are the values of `lwm2m-conform client`; the YAML keys are the
// flag names.
type Settings struct {
	Endpoint          string        `yaml:"endpoint"`
	Server            string        `yaml:"server"`    // coap:// or coaps:// URI
	Bootstrap         bool          `yaml:"bootstrap"` // Server is a bootstrap server
	Mode              string        `yaml:"mode"`      // psk, cert, nosec; "" = inferred
	PSKIdentity       string        `yaml:"psk-identity"`
	PSKKey            string        `yaml:"psk-key"` // hex
	Cert              string        `yaml:"cert"`    // client certificate file
	Key               string        `yaml:"key"`     // client private key file
	ServerCert        string        `yaml:"server-cert"`
	TrustStore        string        `yaml:"truststore"` // PEM bundle, DER file, or directory
	CertUsage         string        `yaml:"cert-usage"` // "" = unset
	SNI               string        `yaml:"sni"`
	CipherSuites      string        `yaml:"ciphersuites"` // "0xC0A8,0xC02B"
	CID               bool          `yaml:"cid"`
	Lifetime          time.Duration `yaml:"lifetime"`
	LwM2MVersion      string        `yaml:"lwm2m-version"`
	SSID              uint          `yaml:"ssid"`
	State             string        `yaml:"state"`
	KeyLog            string        `yaml:"keylog"`
	HandshakeTimeout  time.Duration `yaml:"handshake-timeout"`
	FlightInterval    time.Duration `yaml:"flight-interval"`
	RequestTimeout    time.Duration `yaml:"request-timeout"`
	MaxPSKLen         int           `yaml:"max-psk-len"`
	AckTimeout        time.Duration `yaml:"ack-timeout"`
	InsecureAnyServer bool          `yaml:"insecure-accept-any-server"` // alias of faults: [accept-any]
	Faults            []string      `yaml:"faults"`                     // deliberate defects, see client.KnownFaults
	FaultDelay        time.Duration `yaml:"fault-delay"`                // the slow fault's delay
	// Security Mode 4 (EST): the re-enrollment policy (seed 002 §10.3.3.3,
	// nominal_usage and max_margin), where the EST state persists, and
	// whether to discover the EST resources first.
	ESTNominalUsage   float64       `yaml:"est-nominal-usage"`
	ESTMaxMargin      time.Duration `yaml:"est-max-margin"`
	ESTState          string        `yaml:"est-state"`
	ESTDiscovery      bool          `yaml:"est-discovery"`
	LogFormat         string        `yaml:"log-format"`
	LogLevel          string        `yaml:"log-level"`
	ExitAfterRegister bool          `yaml:"exit-after-register"`
}

// Defaults are the values of omitted flags.
func Defaults() Settings {
	return Settings{
		Lifetime:         300 * time.Second,
		LwM2MVersion:     "1.1",
		SSID:             101,
		HandshakeTimeout: 10 * time.Second,
		FlightInterval:   time.Second,
		RequestTimeout:   93 * time.Second,
		ESTNominalUsage:  0.9,                 // seed 002 §10.3.3.1's default
		ESTMaxMargin:     30 * 24 * time.Hour, // the same
		LogFormat:        "text",
		LogLevel:         "info",
	}
}

// LoadYAML reads a YAML file over s: keys present replace s's values.
// Unknown keys are an error, so that a misspelt key does not pass
// silently.
func LoadYAML(path string, s *Settings) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		return err
	}
	return nil
}
