package dtlswire

import (
	"encoding/hex"
	"strconv"
)

// Describe is a record header as timeline fields (type, version, epoch,
// seq, length, cid, and for a plaintext handshake record its message type
// and message_seq) with a short label ("handshake client_hello"). The
// harness server and the impairment proxy both describe records with it.
func Describe(r Record) (fields map[string]string, label string) {
	f := map[string]string{
		"type":    ContentTypeName(r.ContentType),
		"version": VersionName(r.Version),
		"epoch":   strconv.Itoa(int(r.Epoch)),
		"seq":     strconv.FormatUint(r.Seq, 10),
		"length":  strconv.Itoa(r.Length),
	}
	label = f["type"]
	if r.CID != nil {
		f["cid"] = hex.EncodeToString(r.CID)
		label += " cid " + f["cid"]
	}
	if r.ContentType == ContentHandshake && r.Epoch == 0 {
		if hh, _, err := ParseHandshakeHeader(r.Fragment); err == nil {
			f["handshake"] = HandshakeTypeName(hh.Type)
			f["message_seq"] = strconv.Itoa(int(hh.MessageSeq))
			label += " " + f["handshake"]
		}
	}
	return f, label
}
