package runner

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// writeEvidence stores the case's timeline and SUT output next to its key log.
func (r *Runner) writeEvidence(res *verdict.Result) error {
	if res.EvidenceDir == "" {
		return nil
	}
	data, err := json.MarshalIndent(struct {
		ID          string              `json:"id"`
		Verdict     verdict.Verdict     `json:"verdict"`
		Reason      string              `json:"reason"`
		Observation verdict.Observation `json:"observation"`
		Command     string              `json:"sut_command,omitempty"`
		Events      any                 `json:"events"`
	}{res.Case.ID, res.Verdict, res.Reason, res.Observation, res.SUTCommand, res.Events}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(res.EvidenceDir, "events.json"), data, 0o644); err != nil {
		return err
	}
	// Exec adapters stream the complete output to sut-output.log themselves;
	// only write it when nobody did (the in-process client's log).
	out := filepath.Join(res.EvidenceDir, "sut-output.log")
	if _, err := os.Stat(out); res.SUTOutput != "" && os.IsNotExist(err) {
		return os.WriteFile(out, []byte(res.SUTOutput), 0o644)
	}
	return nil
}
