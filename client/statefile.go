package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lwm2m-conform/lwm2m-conform/internal/atomicfile"
	"io/fs"
	"log/slog"
	"os"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// stateVersion is bumped when the file layout changes incompatibly.
const stateVersion = 1

// stateFile is the persisted client state: the data model as Model.Marshal
// renders it, and the resumable DTLS sessions. Both hold secrets, hence
// mode 0600.
type stateFile struct {
	Version  int                      `json:"version"`
	Model    []byte                   `json:"model"` // base64: Model.Marshal's format is its own
	Sessions map[string]storedSession `json:"sessions,omitempty"`
}

// stateWriter saves the state on demand (poke) from one goroutine, and
// restores it at start.
type stateWriter struct {
	path     string
	model    *model.Model
	sessions *sessionCache
	log      *slog.Logger

	mu    sync.Mutex // serialises writes
	dirty chan struct{}
}

func newStateWriter(path string, m *model.Model, s *sessionCache, log *slog.Logger) *stateWriter {
	return &stateWriter{path: path, model: m, sessions: s, log: log, dirty: make(chan struct{}, 1)}
}

// load restores the model and sessions; a missing file is not an error.
func (w *stateWriter) load() (bool, error) {
	raw, err := os.ReadFile(w.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var st stateFile
	if err := json.Unmarshal(raw, &st); err != nil {
		return false, fmt.Errorf("not a client state file: %w", err)
	}
	if st.Version != stateVersion {
		return false, fmt.Errorf("state file version %d, this client reads version %d", st.Version, stateVersion)
	}
	if len(st.Model) > 0 {
		if err := w.model.Unmarshal(st.Model); err != nil {
			return false, fmt.Errorf("data model: %w", err)
		}
	}
	w.sessions.restore(st.Sessions)
	return true, nil
}

// poke asks for a save; cheap and non-blocking, safe from any goroutine.
func (w *stateWriter) poke() {
	select {
	case w.dirty <- struct{}{}:
	default:
	}
}

// run saves whenever poked until stop is closed, then saves a last time.
func (w *stateWriter) run(stop <-chan struct{}) {
	for {
		select {
		case <-w.dirty:
			w.saveLogged()
		case <-stop:
			w.saveLogged()
			return
		}
	}
}

func (w *stateWriter) saveLogged() {
	if err := w.save(); err != nil {
		w.log.Error("cannot save the client state", "file", w.path, "error", err)
	}
}

// save writes the state atomically: a temporary file in the same directory
// (created 0600), synced, then renamed over the old one.
func (w *stateWriter) save() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	m, err := w.model.Marshal()
	if err != nil {
		return fmt.Errorf("marshal data model: %w", err)
	}
	raw, err := json.MarshalIndent(stateFile{Version: stateVersion, Model: m, Sessions: w.sessions.snapshot()}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteSynced(w.path, raw, 0o600)
}
