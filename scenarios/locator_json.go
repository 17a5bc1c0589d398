package scenarios

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/drsim/drsim/model"
)

// locatorJSON is the serialised form of a locator: the top file and, in
// key-path order, where each written path is.
type locatorJSON struct {
	Top     string         `json:"top"`
	Entries []locatorEntry `json:"entries"`
}

type locatorEntry struct {
	Path  string `json:"path"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
	Table bool   `json:"table,omitempty"`
}

// MarshalLocator returns loc, a Locator this package made (ResolveLocated,
// Open), as JSON, so that a result computed elsewhere (a shard's partial
// file) can point at the scenario's own file:line:col: UnmarshalLocator
// gives a Locator that answers every Locate as loc does. Entries are in
// key-path order, so equal locators give equal bytes.
func MarshalLocator(loc model.Locator) ([]byte, error) {
	l, ok := loc.(locator)
	if !ok {
		return nil, fmt.Errorf("scenarios: marshal locator: a %T, not a locator of package scenarios", loc)
	}
	out := locatorJSON{Top: l.top, Entries: make([]locatorEntry, 0, len(l.idx))}
	for p, e := range l.idx {
		out.Entries = append(out.Entries, locatorEntry{Path: p, File: e.File, Line: e.Line, Col: e.Col, Table: e.table})
	}
	slices.SortFunc(out.Entries, func(a, b locatorEntry) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
	return json.Marshal(out)
}

// UnmarshalLocator parses what MarshalLocator wrote.
func UnmarshalLocator(data []byte) (model.Locator, error) {
	var in locatorJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("scenarios: unmarshal locator: %w", err)
	}
	idx := make(posIndex, len(in.Entries))
	for _, e := range in.Entries {
		idx[e.Path] = posEntry{Pos: Pos{File: e.File, Line: e.Line, Col: e.Col}, table: e.Table}
	}
	return locator{top: in.Top, idx: idx}, nil
}
