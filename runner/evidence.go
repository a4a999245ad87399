package runner

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lwm2m-conform/lwm2m-conform/internal/atomicfile"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Evidence files of a case directory.
const (
	keyLogFile    = "sslkeylog.txt"     // the harness server's, whatever the client
	sutKeyLogFile = "sut-sslkeylog.txt" // the SUT's own, if it writes one
	captureFile   = "capture.pcapng"
	// maxKeyLog bounds the server's key log (one line per handshake).
	maxKeyLog = 1 << 20
)

// serverConfig is the harness server's configuration. With evidence on it
// also prepares the case directory: the server writes the key log of every
// handshake itself, a direct case is captured at the server's socket (a
// proxied one at the proxy), and a PSK case keeps its key in psk.key, where
// redacted command lines point. Files with secrets are the owner's only.
func (cr *caseRun) serverConfig(dtls *servers.DTLS, dir string) servers.Config {
	cfg := servers.Config{DTLS: dtls, Events: cr.log, Logger: cr.Logger}
	if cr.res.EvidenceDir == "" {
		return cfg
	}
	// Stale files of an earlier run in the same directory must not mix in.
	files := map[string][]byte{keyLogFile: nil, sutKeyLogFile: nil}
	if cr.c.SUT.Mode == "psk" {
		files[sut.PSKKeyFile] = []byte(hex.EncodeToString(catalog.PSKKey(cr.c.SUT.PSKKeyLen, cr.c.SUT.PSKWrongKey)) + "\n")
	}
	for name, data := range files {
		if err := atomicfile.Write(filepath.Join(dir, name), data, 0o600); err != nil {
			cr.log.Add(events.Event{Time: time.Now(), Kind: events.Note, Summary: "evidence: " + err.Error(), Fields: map[string]string{"what": "evidence_error"}})
		}
	}
	if dtls != nil {
		dtls.KeyLogWriter = &keyLog{path: filepath.Join(dir, keyLogFile)}
		if cr.c.Impair == nil {
			cfg.CapturePath = filepath.Join(dir, captureFile)
		}
	}
	return cfg
}

// keyLog appends the server's NSS key log lines to a file; it opens the
// file for each line (one per handshake), so nothing has to close it.
type keyLog struct {
	mu   sync.Mutex
	path string
	n    int
}

func (k *keyLog) Write(p []byte) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.n+len(p) > maxKeyLog {
		return 0, fmt.Errorf("key log %s: limit of %d bytes reached", k.path, maxKeyLog)
	}
	f, err := os.OpenFile(k.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(p)
	k.n += n
	return n, errors.Join(err, f.Close())
}

// writeEvidence hides the case's secrets in the result, which every report
// is written from, then stores the timeline and SUT output next to the key
// log and embeds the key log in the capture.
func (r *Runner) writeEvidence(res *verdict.Result) error {
	r.redact(res)
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
	// Exec adapters stream the (bounded, redacted) output to sut-output.log
	// themselves; only write it when nobody did.
	out := filepath.Join(res.EvidenceDir, "sut-output.log")
	if _, err := os.Stat(out); res.SUTOutput != "" && os.IsNotExist(err) {
		if err := os.WriteFile(out, []byte(res.SUTOutput), 0o644); err != nil {
			return err
		}
	}
	return embedKeyLog(res.EvidenceDir)
}

// embedKeyLog puts the server's key log into the case's capture, so that
// the capture alone opens decrypted. The capture is complete only now:
// server and proxy are closed.
func embedKeyLog(dir string) error {
	keys, err := os.ReadFile(filepath.Join(dir, keyLogFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	capture := filepath.Join(dir, captureFile)
	if _, err := os.Stat(capture); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return pcapng.EmbedKeyLog(capture, keys)
}
