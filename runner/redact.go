package runner

import (
	"maps"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// caseSecrets are the keys of a case: the PSKs of SUT and server, the
// client's and the server's private keys.
func (r *Runner) caseSecrets(c catalog.Case, dir string) []sut.Secret {
	var s []sut.Secret
	if c.SUT.Mode == "psk" {
		note := sut.PSKNote(dir)
		s = append(s, sut.Secret{Key: catalog.PSKKey(c.SUT.PSKKeyLen, c.SUT.PSKWrongKey), Note: note},
			sut.Secret{Key: catalog.PSKKey(c.Peer.PSKKeyLen, false), Note: note})
	}
	for _, ref := range []string{c.SUT.ClientCert, c.Peer.Key} {
		if ref == "" || r.PKI == nil {
			continue
		}
		if cert, err := r.PKI.Cert(ref); err == nil {
			s = append(s, sut.Secret{Key: cert.KeyPKCS8, Note: sut.RedactedPrivateKey})
		}
	}
	return s
}

// redact hides the case's secrets, and any PEM private key, in everything
// a report shows: the SUT's command line and output, the reasons, and the
// timeline. The adapters hide them at the source already; this also covers
// what a SUT said through the wire and the server's key.
func (r *Runner) redact(res *verdict.Result) {
	red := sut.NewRedactor(r.caseSecrets(res.Case, res.EvidenceDir)...)
	res.SUTCommand = red.String(res.SUTCommand)
	res.SUTOutput = red.String(res.SUTOutput)
	res.Reason = red.String(res.Reason)
	res.Observation.Detail = red.String(res.Observation.Detail)
	for i := range res.Checks {
		res.Checks[i].Message = red.String(res.Checks[i].Message)
	}
	for i, e := range res.Events {
		e.Summary = red.String(e.Summary)
		if e.Fields != nil {
			e.Fields = maps.Clone(e.Fields)
			for k, v := range e.Fields {
				e.Fields[k] = red.String(v)
			}
		}
		res.Events[i] = e
	}
}
