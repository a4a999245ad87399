package dtlswire

import "fmt"

// Extension types that the decoders interpret or that reports name.
const (
	ExtServerName           uint16 = 0
	ExtMaxFragmentLength    uint16 = 1
	ExtStatusRequest        uint16 = 5
	ExtSupportedGroups      uint16 = 10
	ExtECPointFormats       uint16 = 11
	ExtSignatureAlgorithms  uint16 = 13
	ExtUseSRTP              uint16 = 14
	ExtALPN                 uint16 = 16
	ExtClientCertType       uint16 = 19
	ExtServerCertType       uint16 = 20
	ExtPadding              uint16 = 21
	ExtEncryptThenMAC       uint16 = 22
	ExtExtendedMasterSecret uint16 = 23
	ExtRecordSizeLimit      uint16 = 28
	ExtSessionTicket        uint16 = 35
	ExtConnectionIDDraft    uint16 = 53 // deprecated draft codepoint, still sent by older stacks
	ExtConnectionID         uint16 = 54 // RFC 9146
	ExtRenegotiationInfo    uint16 = 0xff01
)

// extension is one raw extension of a hello message.
type extension struct {
	typ  uint16
	data []byte
}

// parseExtensions decodes the optional extensions block that ends a hello
// message body; r must hold nothing else.
func parseExtensions(r *reader) ([]extension, error) {
	if r.empty() {
		return nil, nil
	}
	var block []byte
	if !r.vec16(&block) {
		return nil, fmt.Errorf("truncated extensions block")
	}
	if !r.empty() {
		return nil, fmt.Errorf("%d trailing bytes after the extensions block", len(r.b))
	}
	er := reader{b: block}
	var out []extension
	for !er.empty() {
		var e extension
		if !er.u16(&e.typ) || !er.vec16(&e.data) {
			return nil, fmt.Errorf("truncated extension %d in the extensions block", len(out))
		}
		out = append(out, e)
	}
	return out, nil
}

// parseServerName returns the host_name of a ClientHello server_name
// extension (RFC 6066 §3).
func parseServerName(data []byte) (string, error) {
	r := reader{b: data}
	var list []byte
	if !r.vec16(&list) || !r.empty() {
		return "", fmt.Errorf("malformed server_name extension")
	}
	lr := reader{b: list}
	host, found := "", false
	for !lr.empty() {
		var typ uint8
		var name []byte
		if !lr.u8(&typ) || !lr.vec16(&name) {
			return "", fmt.Errorf("malformed server_name list entry")
		}
		if typ == 0 && !found {
			host, found = string(name), true
		}
	}
	if !found {
		return "", fmt.Errorf("server_name extension without a host_name entry")
	}
	return host, nil
}

// parseConnectionID returns the CID of a connection_id extension (RFC 9146 §3).
func parseConnectionID(data []byte) ([]byte, error) {
	r := reader{b: data}
	var cid []byte
	if !r.vec8(&cid) || !r.empty() {
		return nil, fmt.Errorf("malformed connection_id extension")
	}
	return cid, nil
}

// ExtensionName names a TLS extension type (IANA registry).
func ExtensionName(t uint16) string {
	switch t {
	case ExtServerName:
		return "server_name"
	case ExtMaxFragmentLength:
		return "max_fragment_length"
	case ExtStatusRequest:
		return "status_request"
	case ExtSupportedGroups:
		return "supported_groups"
	case ExtECPointFormats:
		return "ec_point_formats"
	case ExtSignatureAlgorithms:
		return "signature_algorithms"
	case ExtUseSRTP:
		return "use_srtp"
	case ExtALPN:
		return "application_layer_protocol_negotiation"
	case ExtClientCertType:
		return "client_certificate_type"
	case ExtServerCertType:
		return "server_certificate_type"
	case ExtPadding:
		return "padding"
	case ExtEncryptThenMAC:
		return "encrypt_then_mac"
	case ExtExtendedMasterSecret:
		return "extended_master_secret"
	case ExtRecordSizeLimit:
		return "record_size_limit"
	case ExtSessionTicket:
		return "session_ticket"
	case ExtConnectionIDDraft:
		return "connection_id (deprecated)"
	case ExtConnectionID:
		return "connection_id"
	case ExtRenegotiationInfo:
		return "renegotiation_info"
	}
	return fmt.Sprintf("unknown(%d)", t)
}
