package report

import "github.com/drsim/drsim/findings"

// SetFindings replaces the report's findings with fs (nil: none), for
// findings that carry file:line:col (findings.Static with the scenario's
// locator). The order of fs is kept.
func (r *Report) SetFindings(fs []findings.Finding) {
	if fs == nil {
		fs = []findings.Finding{}
	}
	r.Findings = fs
}
