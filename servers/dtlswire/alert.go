package dtlswire

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// Alert levels (RFC 5246 §7.2).
const (
	AlertLevelWarning uint8 = 1
	AlertLevelFatal   uint8 = 2
)

// ParseAlert decodes a plaintext (epoch 0) alert fragment. An encrypted alert
// is longer than two bytes and is reported as an error.
func ParseAlert(fragment []byte) (*events.Alert, error) {
	if len(fragment) != 2 {
		return nil, fmt.Errorf("dtlswire: alert fragment of %d bytes, a plaintext alert has 2", len(fragment))
	}
	level, desc := fragment[0], fragment[1]
	if level != AlertLevelWarning && level != AlertLevelFatal {
		return nil, fmt.Errorf("dtlswire: alert level %d is neither warning(1) nor fatal(2)", level)
	}
	return &events.Alert{Level: level, Description: desc, Name: AlertName(desc)}, nil
}

// alertNames follows the IANA TLS Alerts registry.
var alertNames = map[uint8]string{
	0:   "close_notify",
	10:  "unexpected_message",
	20:  "bad_record_mac",
	21:  "decryption_failed",
	22:  "record_overflow",
	30:  "decompression_failure",
	40:  "handshake_failure",
	41:  "no_certificate",
	42:  "bad_certificate",
	43:  "unsupported_certificate",
	44:  "certificate_revoked",
	45:  "certificate_expired",
	46:  "certificate_unknown",
	47:  "illegal_parameter",
	48:  "unknown_ca",
	49:  "access_denied",
	50:  "decode_error",
	51:  "decrypt_error",
	60:  "export_restriction",
	70:  "protocol_version",
	71:  "insufficient_security",
	80:  "internal_error",
	86:  "inappropriate_fallback",
	90:  "user_canceled",
	100: "no_renegotiation",
	109: "missing_extension",
	110: "unsupported_extension",
	111: "certificate_unobtainable",
	112: "unrecognized_name",
	113: "bad_certificate_status_response",
	114: "bad_certificate_hash_value",
	115: "unknown_psk_identity",
	116: "certificate_required",
	120: "no_application_protocol",
}

// AlertName names an alert description, e.g. 42 → "bad_certificate".
func AlertName(desc uint8) string {
	if n, ok := alertNames[desc]; ok {
		return n
	}
	return fmt.Sprintf("unknown(%d)", desc)
}

// AlertLevelName names an alert level.
func AlertLevelName(level uint8) string {
	switch level {
	case AlertLevelWarning:
		return "warning"
	case AlertLevelFatal:
		return "fatal"
	}
	return fmt.Sprintf("unknown(%d)", level)
}
