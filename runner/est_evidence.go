package runner

import (
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// lwm2mCaptureFile is the LwM2M server's capture in an est case; the
// bootstrap and EST server's is captureFile, as a direct case's server.
const lwm2mCaptureFile = "capture-lwm2m.pcapng"

// estServerConfigs are the configurations of an est case's two servers,
// as serverConfig makes them: with evidence on, both write the case's key
// log, the bootstrap server (with EST) is captured in capture.pcapng and
// the LwM2M server in capture-lwm2m.pcapng.
func (cr *caseRun) estServerConfigs(bsDTLS, lwDTLS *servers.DTLS, dir string) (bs, lw servers.Config) {
	bs = cr.serverConfig(bsDTLS, dir)
	lw = servers.Config{DTLS: lwDTLS, Logger: cr.Logger}
	if cr.res.EvidenceDir != "" {
		lwDTLS.KeyLogWriter = bsDTLS.KeyLogWriter
		lw.CapturePath = filepath.Join(dir, lwm2mCaptureFile)
	}
	return bs, lw
}

// embedLwM2MKeys puts the case's key log into the LwM2M server's capture
// once that server is closed (writeEvidence does capture.pcapng).
func (cr *caseRun) embedLwM2MKeys(dir string) {
	if cr.res.EvidenceDir == "" {
		return
	}
	keys, err := os.ReadFile(filepath.Join(dir, keyLogFile))
	if err == nil {
		err = pcapng.EmbedKeyLog(filepath.Join(dir, lwm2mCaptureFile), keys)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		cr.log.Add(events.Event{Time: time.Now(), Kind: events.Note, Summary: "evidence: " + err.Error(), Fields: map[string]string{"what": "evidence_error"}})
	}
}

// writeESTEvidence puts the case CA, every CSR the EST server received
// and every certificate it issued into the case's evidence directory
// (est/), as PEM: public data, readable by all.
func (cr *caseRun) writeESTEvidence(p *estPeers) error {
	if cr.res.EvidenceDir == "" {
		return nil
	}
	dir := filepath.Join(cr.res.EvidenceDir, "est")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name, kind string, der []byte) error {
		return os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o644)
	}
	if err := write("ca.pem", "CERTIFICATE", p.ca.Cert.Raw); err != nil {
		return err
	}
	for i, iss := range p.est.Issued() {
		base := fmt.Sprintf("%02d-%s", i+1, iss.Op)
		if iss.Fault != "" {
			base += "-" + iss.Fault
		}
		if len(iss.CSR) > 0 {
			if err := write(base+".csr.pem", "CERTIFICATE REQUEST", iss.CSR); err != nil {
				return err
			}
		}
		if iss.Cert != nil {
			if err := write(base+".crt.pem", "CERTIFICATE", iss.Cert.Raw); err != nil {
				return err
			}
		}
	}
	return nil
}
