package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// jsonRun is the results.json layout. Durations are nanoseconds, like the
// duration of each result.
type jsonRun struct {
	SUT     string        `json:"sut"`
	SUTFlag string        `json:"sut_flag,omitempty"`
	Started time.Time     `json:"started"`
	Wall    time.Duration `json:"wall"`
	Labels  []string      `json:"labels,omitempty"`
	Notes   []string      `json:"notes,omitempty"`

	Catalogue   string  `json:"catalogue,omitempty"`
	Profile     Profile `json:"profile,omitzero"`
	Shard       *Shard  `json:"shard,omitempty"`
	Merged      []Shard `json:"merged,omitempty"`
	Interrupted string  `json:"interrupted,omitempty"`

	Totals  map[string]int   `json:"totals"`
	Results []verdict.Result `json:"results"`
}

// WriteJSON writes r as the results.json document: every result with its
// events and evidence, plus totals per verdict.
func WriteJSON(w io.Writer, r Run) error {
	doc := jsonRun{
		SUT: r.SUT, SUTFlag: r.SUTFlag, Started: r.Started, Wall: r.Wall,
		Labels: r.Labels, Notes: r.Notes,
		Catalogue: r.Catalogue, Profile: r.Profile, Shard: r.Shard, Merged: r.Merged, Interrupted: r.Interrupted,
		Totals:  map[string]int{},
		Results: r.Results,
	}
	if doc.Results == nil {
		doc.Results = []verdict.Result{}
	}
	for v, n := range countVerdicts(r.Results) {
		doc.Totals[string(v)] = n
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("results.json: %w", err)
	}
	return nil
}

// ReadJSON reads a results.json document back into a Run, so reports can
// be rendered again without re-running the cases.
func ReadJSON(rd io.Reader) (Run, error) {
	var doc jsonRun
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&doc); err != nil {
		return Run{}, fmt.Errorf("results.json: %w", err)
	}
	return Run{
		SUT: doc.SUT, SUTFlag: doc.SUTFlag, Started: doc.Started, Wall: doc.Wall,
		Labels: doc.Labels, Notes: doc.Notes, Results: doc.Results,
		Catalogue: doc.Catalogue, Profile: doc.Profile, Shard: doc.Shard, Merged: doc.Merged, Interrupted: doc.Interrupted,
	}, nil
}
