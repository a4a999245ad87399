package report

import (
	"fmt"
	"strings"
	"time"
)

// Profile identifies the SUT profile of a run: its name and a hash of
// its definition, so shards of different profiles are never merged.
type Profile struct {
	Name string `json:"name"`
	Hash string `json:"hash"`
}

// Shard is the part of a selection one run covered (`run --shard i/n`).
// A shard run records the whole selection, in catalogue order, so that
// a merge can order the results and prove that none is missing; a merged
// report records each shard with its own start and wall time instead.
type Shard struct {
	Index     int           `json:"index"`
	Total     int           `json:"total"`
	Selection []string      `json:"selection,omitempty"`
	Started   time.Time     `json:"started,omitzero"`
	Wall      time.Duration `json:"wall,omitempty"`
}

// provenanceFacts are the run's identity lines shown under its header in
// index.html and summary.md: what a reader needs to tell whether two
// reports are comparable.
func provenanceFacts(r Run) []keyValue {
	var kv []keyValue
	if r.Shard != nil {
		kv = append(kv, keyValue{"shard", fmt.Sprintf("%d/%d (%d of the %d selected cases)", r.Shard.Index, r.Shard.Total, len(r.Results), len(r.Shard.Selection))})
	}
	if len(r.Merged) > 0 {
		var parts []string
		for _, s := range r.Merged {
			parts = append(parts, fmt.Sprintf("%d/%d", s.Index, s.Total))
		}
		kv = append(kv, keyValue{"merged from", fmt.Sprintf("%d shards (%s)", len(r.Merged), strings.Join(parts, ", "))})
	}
	if r.Profile.Name != "" || r.Profile.Hash != "" {
		kv = append(kv, keyValue{"profile", strings.TrimSpace(r.Profile.Name + " " + r.Profile.Hash)})
	}
	if r.Catalogue != "" {
		kv = append(kv, keyValue{"catalogue", r.Catalogue})
	}
	return kv
}
