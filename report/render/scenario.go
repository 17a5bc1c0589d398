package render

import (
	"fmt"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// outageText describes an outage in one line, its phases after it.
func outageText(o *report.OutageSummary) string {
	if o.Kind == "partition" {
		return fmt.Sprintf("%s: partition between %s, from %s for %s%s", o.Name, strings.Join(o.Regions, " and "), o.Start, o.Duration, probText(o.Probability))
	}
	if len(o.Phases) == 0 {
		return fmt.Sprintf("%s: %s in %s%s, from %s for %s%s", o.Name, servicesText(o.Services), o.Region, rateText(o.ErrorRate),
			o.Start, o.Duration, probText(o.Probability))
	}
	parts := make([]string, len(o.Phases))
	for i, p := range o.Phases {
		parts[i] = fmt.Sprintf("phases[%d]: %s%s from +%s for %s", i, servicesText(p.Services), rateText(p.ErrorRate), p.Offset, p.Duration)
	}
	return fmt.Sprintf("%s: an event in %s from %s%s, in %d phases: %s", o.Name, o.Region, o.Start, probText(o.Probability),
		len(o.Phases), strings.Join(parts, "; "))
}

func servicesText(s []string) string {
	if len(s) == len(model.ServiceNames) {
		return "every service"
	}
	return strings.Join(s, ", ")
}

func rateText(e float64) string {
	if e >= 1 {
		return ""
	}
	return fmt.Sprintf(" at an error rate of %s", human.Pct(e))
}

func probText(p float64) string {
	if p >= 1 {
		return ""
	}
	return fmt.Sprintf(" with probability %s", human.Pct(p))
}

// profileText names a profile, what it is built from and its sources.
func profileText(p *report.ProfileSummary) string {
	srcs := make([]string, len(p.Events))
	for i, e := range p.Events {
		srcs[i] = fmt.Sprintf("%s %s %gh (%s)", e.Date, e.Region, e.Hours, e.Source)
	}
	return fmt.Sprintf("profile(%s): %s; median %s, p90 %s, p99 %s; %s. Sources: %s.", p.Name, p.Description,
		human.Dur(p.MedianSeconds), human.Dur(p.P90Seconds), human.Dur(p.P99Seconds), p.Caveat, strings.Join(srcs, "; "))
}

// startText says what the trials assume existed at t=0.
func startText(start string) string {
	if start == model.StartNames[model.StartEmpty] {
		return "Start: empty (format 1.0): nothing exists before t=0, so the writes and backups of a trial begin at 0."
	}
	return "Start: steady: the system has been running at its t=0 rates since long before 0 (writes in flight at 0, backups taken on schedule), so RPO and lost writes do not depend on where the outage falls, as long as replication works at t=0 (writes that a failing replication never delivers count from 0)."
}
