package report

import (
	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
)

// SetFindings replaces the report's findings with fs (nil: none). The
// order of fs is kept, and its dynamic findings are linked to its static
// ones (findings.Link).
func (r *Report) SetFindings(fs []findings.Finding) {
	if fs == nil {
		fs = []findings.Finding{}
	}
	findings.Link(fs)
	r.Findings = fs
}

// LocateFindings places the report's findings in the scenario's files:
// the static findings of cfg are computed again with loc (which value a
// finding points at depends on what was written), the dynamic ones are
// placed with loc (findings.Relocate), and the links are made again.
// cfg must be the Config the report was built from; a nil loc changes
// nothing.
func (r *Report) LocateFindings(cfg *model.Config, loc model.Locator) {
	if loc == nil || cfg == nil || cfg.Check() != nil {
		return
	}
	fs := findings.Static(cfg, loc)
	for _, f := range r.Findings {
		if f.Kind == findings.KindDynamic {
			fs = append(fs, f)
		}
	}
	findings.Relocate(fs, loc)
	r.SetFindings(fs)
}
