package servers

// securityName describes a configuration for the timeline.
func securityName(cfg Config) string {
	d := cfg.DTLS
	switch {
	case d == nil:
		return "NoSec"
	case d.Certificate != nil && d.PSK != nil:
		return "DTLS certificate+PSK"
	case d.Certificate != nil:
		return "DTLS certificate"
	default:
		return "DTLS PSK"
	}
}
