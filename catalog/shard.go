package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Shard is part i of n of a selection (1-based), as `run --shard i/n` names it.
type Shard struct {
	Index, Total int
}

// ParseShard reads "i/n" with 1 ≤ i ≤ n; its error says what it wants,
// for the caller to name the flag and value.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, errors.New("want i/n with 1 ≤ i ≤ n, e.g. 2/3")
	}
	return Shard{i, n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Total) }

// Cost weights for the shard balance: roughly how many plain cases' time a
// case takes. A case through the impairment proxy waits on retransmission
// timers; a scenario plays a second exchange; a NAT rebinding waits for the
// client's recovery (its rebind timer) too.
const (
	costPlain    = 1
	costImpaired = 10
	costScenario = 10
	costRebind   = 40
)

// Cost is the expected duration of a case in units of a plain handshake
// case, from the case data alone: costs add up.
func Cost(c Case) int {
	n := costPlain
	if c.Impair != nil {
		n += costImpaired
	}
	switch c.Scenario {
	case "":
	case "rebind":
		n += costRebind
	default:
		n += costScenario
	}
	return n
}

// Of returns the cases of cases that fall into shard s, in their given
// order. The partition depends only on the cases' ids and costs, never on
// their order or on the machine, so every job of a CI matrix computes the
// same one: the costliest case first (ties by id), each to the shard with
// the least cost so far (ties to the lowest index).
func (s Shard) Of(cases []Case) []Case {
	if s.Total <= 1 {
		return cases
	}
	order := make([]int, len(cases))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		ca, cb := Cost(cases[order[a]]), Cost(cases[order[b]])
		if ca != cb {
			return ca > cb
		}
		return cases[order[a]].ID < cases[order[b]].ID
	})
	load := make([]int, s.Total)
	mine := make([]bool, len(cases))
	for _, i := range order {
		least := 0
		for k := range load {
			if load[k] < load[least] {
				least = k
			}
		}
		load[least] += Cost(cases[i])
		mine[i] = least == s.Index-1
	}
	var out []Case
	for i, c := range cases {
		if mine[i] {
			out = append(out, c)
		}
	}
	return out
}
