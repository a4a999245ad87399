package runner

import (
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
)

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
