package dm

import (
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// attrStore keeps the attributes a server wrote, per path.
type attrStore struct {
	mu     sync.RWMutex
	byPath map[lwm2m.Path]Attributes
}

func newAttrStore() *attrStore { return &attrStore{byPath: map[lwm2m.Path]Attributes{}} }

// at returns the attributes set at exactly p.
func (s *attrStore) at(p lwm2m.Path) Attributes {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byPath[p]
}

// update applies a Write-Attributes to p after checking the result.
func (s *attrStore) update(p lwm2m.Path, updates []attrUpdate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.byPath[p].apply(updates)
	if err := next.check(); err != nil {
		return err
	}
	if next.empty() {
		delete(s.byPath, p)
	} else {
		s.byPath[p] = next
	}
	return nil
}

// effective merges the levels from the object down to p: a level's value
// overrides the one inherited from above (Core 1.1 §5.1.2).
func (s *attrStore) effective(p lwm2m.Path) Attributes {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out Attributes
	for n := 1; n <= p.Len(); n++ {
		q := p
		for q.Len() > n {
			q = q.Parent()
		}
		out = out.overlay(s.byPath[q])
	}
	return out
}

// dropBelow forgets the attributes at and below p (a deleted instance
// takes its attributes with it).
func (s *attrStore) dropBelow(p lwm2m.Path) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for q := range s.byPath {
		if p.IsPrefixOf(q) {
			delete(s.byPath, q)
		}
	}
}

// clear forgets everything (re-registration, bootstrap).
func (s *attrStore) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.byPath)
}
