package report

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// ShardRun is one input of a merge: a shard run and the report directory
// it was read from, where its evidence is looked for.
type ShardRun struct {
	From string
	Run  Run
}

// Merge combines the runs of every shard of one selection into the run
// an unsharded run would have given: results in catalogue order, start at
// the earliest shard's, wall time to the end of the latest. It refuses
// runs that are not shards of the same thing (catalogue, SUT profile,
// label filter, selection), a shard given twice or missing, and a case
// found twice or nowhere.
func Merge(in []ShardRun) (Run, error) {
	if len(in) == 0 {
		return Run{}, errors.New("merge: no shard results given")
	}
	first := in[0]
	if err := shardOf(first); err != nil {
		return Run{}, err
	}
	total := first.Run.Shard.Total
	byIndex := map[int]string{}
	for _, s := range in {
		if err := shardOf(s); err != nil {
			return Run{}, err
		}
		if err := sameRun(first, s); err != nil {
			return Run{}, err
		}
		if prev, dup := byIndex[s.Run.Shard.Index]; dup {
			return Run{}, fmt.Errorf("merge: shard %d/%d given twice (%s and %s)", s.Run.Shard.Index, total, prev, s.From)
		}
		byIndex[s.Run.Shard.Index] = s.From
	}
	var missing []string
	for i := 1; i <= total; i++ {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, total))
		}
	}
	if len(missing) > 0 {
		return Run{}, fmt.Errorf("merge: shard %s missing: a merged report must cover the whole selection", strings.Join(missing, ", "))
	}

	found := map[string]verdict.Result{}
	foundIn := map[string]string{}
	m := Run{SUT: first.Run.SUT, SUTFlag: first.Run.SUTFlag, Labels: first.Run.Labels, Catalogue: first.Run.Catalogue, Profile: first.Run.Profile}
	var end time.Time
	var stopped []string
	for _, s := range in {
		r := s.Run
		for _, res := range r.Results {
			if prev, dup := foundIn[res.Case.ID]; dup {
				return Run{}, fmt.Errorf("merge: case %s is in %s and in %s", res.Case.ID, prev, s.From)
			}
			found[res.Case.ID], foundIn[res.Case.ID] = res, s.From
		}
		if m.Started.IsZero() || r.Started.Before(m.Started) {
			m.Started = r.Started
		}
		if e := r.Started.Add(r.Wall); e.After(end) {
			end = e
		}
		for _, n := range r.Notes {
			if !slices.Contains(m.Notes, n) {
				m.Notes = append(m.Notes, n)
			}
		}
		if r.Interrupted != "" {
			stopped = append(stopped, fmt.Sprintf("%s in shard %d/%d", r.Interrupted, r.Shard.Index, total))
		}
		m.Merged = append(m.Merged, Shard{Index: r.Shard.Index, Total: total, Started: r.Started, Wall: r.Wall})
	}
	slices.SortFunc(m.Merged, func(a, b Shard) int { return a.Index - b.Index })
	slices.Sort(stopped)
	m.Interrupted = strings.Join(stopped, ", ")
	m.Wall = end.Sub(m.Started)
	for _, id := range first.Run.Shard.Selection {
		res, ok := found[id]
		if !ok {
			return Run{}, fmt.Errorf("merge: case %s of the selection is in no shard's results", id)
		}
		m.Results = append(m.Results, res)
		delete(found, id)
	}
	if len(found) > 0 {
		id := slices.Sorted(maps.Keys(found))[0]
		return Run{}, fmt.Errorf("merge: case %s (%s) is not in the selection the shards were cut from", id, foundIn[id])
	}
	return m, nil
}

// shardOf refuses a run that was not cut as a shard.
func shardOf(s ShardRun) error {
	if s.Run.Shard == nil || s.Run.Shard.Total < 1 {
		return fmt.Errorf("merge: %s is not a shard run (its results.json has no shard; run with --shard i/n)", s.From)
	}
	return nil
}

// sameRun refuses shards of different runs, naming what differs.
func sameRun(a, b ShardRun) error {
	x, y := a.Run, b.Run
	differ := func(what, u, v string) error {
		return fmt.Errorf("merge: %s and %s come from different %s (%s and %s): shards of one run only", a.From, b.From, what, orNone(u, "none"), orNone(v, "none"))
	}
	switch {
	case x.Catalogue == "" || y.Catalogue == "":
		return fmt.Errorf("merge: %s or %s records no catalogue hash", a.From, b.From)
	case x.Catalogue != y.Catalogue:
		return differ("catalogue versions", x.Catalogue, y.Catalogue)
	case x.Profile != y.Profile:
		return differ("SUT profiles", x.Profile.Name+" "+x.Profile.Hash, y.Profile.Name+" "+y.Profile.Hash)
	case !slices.Equal(x.Labels, y.Labels):
		return differ("label filters", strings.Join(x.Labels, " "), strings.Join(y.Labels, " "))
	case x.Shard.Total != y.Shard.Total:
		return differ("shard counts", fmt.Sprint(x.Shard.Total), fmt.Sprint(y.Shard.Total))
	case !slices.Equal(x.Shard.Selection, y.Shard.Selection):
		return differ("selections", fmt.Sprintf("%d cases", len(x.Shard.Selection)), fmt.Sprintf("%d cases", len(y.Shard.Selection)))
	}
	return nil
}
