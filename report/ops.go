package report

import (
	"fmt"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/human"
)

// outcome is how op o ended: its Outcome, or for results that do not carry
// one (made by hand, or by an older drsim) done when Done, failed when
// started and not done.
func outcome(o *model.OpResult) model.OpOutcome {
	switch {
	case o.Outcome != model.OpNotStarted:
		return o.Outcome
	case o.Done:
		return model.OpDone
	case o.Started:
		return model.OpFailed
	}
	return model.OpNotStarted
}

// repOpText tells what happened to an op in one trial, e.g. "5 attempts
// failed with KMSUnavailable, succeeded at 8h01m (T0+7h01m)"; the time
// after T0 is given for runbook steps.
func repOpText(o *model.OpResult, t *model.TrialResult, step bool) string {
	if !o.Started {
		return "not started"
	}
	at := human.Dur(seconds(o.At))
	if step && t.Incident && o.At >= t.T0 {
		at += " (T0+" + human.Dur(seconds(o.At-t.T0)) + ")"
	}
	failed := 0
	for _, e := range o.Errors {
		failed += e.N
	}
	var b strings.Builder
	if failed > 0 {
		fmt.Fprintf(&b, "%s %s failed with %s, ", human.Int(failed), human.Plural(failed, "attempt", "attempts"), errList(o.Errors))
	}
	switch oc := outcome(o); {
	case oc == model.OpDone:
		fmt.Fprintf(&b, "succeeded at %s", at)
	case o.Refused:
		fmt.Fprintf(&b, "refused at %s with %s (not retried)", at, orText(o.Code, o.Err))
	case oc == model.OpAbandoned:
		b.WriteString("abandoned when the service came back before the failover")
	case o.Err != "":
		fmt.Fprintf(&b, "not done, last attempt at %s failed with %s", at, orText(o.Code, o.Err))
	default:
		fmt.Fprintf(&b, "not done by the horizon")
	}
	return b.String()
}

// errList spells error counts: "KMSUnavailable" or "4 KMSUnavailable, 1
// ThrottlingException".
func errList(errs []model.ErrCount) string {
	if len(errs) == 1 {
		return errs[0].Err
	}
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = human.Int(e.N) + " " + e.Err
	}
	return strings.Join(parts, ", ")
}

// opSummaryText is the one-line summary of an op: "promote-key: in the
// representative trial, ...; over all trials, done in 962 of 1,000 started
// ...".
func opSummaryText(s *OpSummary) string {
	var b strings.Builder
	b.WriteString(s.Name)
	b.WriteString(": ")
	if s.Representative != "" {
		b.WriteString("in the representative trial, ")
		b.WriteString(s.Representative)
		b.WriteString("; over all trials, ")
	}
	if s.TrialsStarted == 0 {
		b.WriteString("never started")
		return b.String()
	}
	fmt.Fprintf(&b, "done in %s of %s started", human.Int(s.TrialsDone), human.Int(s.TrialsStarted))
	if s.TrialsFailed > 0 {
		fmt.Fprintf(&b, ", failed in %s", human.Int(s.TrialsFailed))
	}
	if s.TrialsAbandoned > 0 {
		fmt.Fprintf(&b, ", abandoned in %s", human.Int(s.TrialsAbandoned))
	}
	if s.Op != "" || len(s.Needs) > 0 {
		fmt.Fprintf(&b, ", mean attempts %s", human.Num(s.AttemptsMean))
	}
	if p50 := s.DoneText(true); p50 != "-" {
		fmt.Fprintf(&b, ", median done %s", p50)
	}
	if len(s.Errors) > 0 {
		fmt.Fprintf(&b, ", failed attempts: %s", countList(s.Errors))
	}
	return b.String()
}

// DoneText spells when the op was done, at the median (or, with median
// false, the 90th percentile): after T0 for a runbook step ("T0+10m31s"),
// from the trial start for an action ("1h00m"); "-" when it never was.
func (s *OpSummary) DoneText(median bool) string {
	if s.Kind == "step" {
		v := s.DoneAfterT0P90Seconds
		if median {
			v = s.DoneAfterT0P50Seconds
		}
		if v == nil {
			return "-"
		}
		return "T0+" + human.Dur(*v)
	}
	v := s.DoneAtP90Seconds
	if median {
		v = s.DoneAtP50Seconds
	}
	return human.DurOr(v, "-")
}

// orText returns s, or alt when s is empty.
func orText(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}

// needText spells a needs entry as a scenario writes it.
func needText(cfg *model.Config, n model.Need) string {
	if n.ARC {
		return "arc-routing-control"
	}
	reg := ""
	if n.Region >= 0 && n.Region < len(cfg.Regions) {
		reg = cfg.Regions[n.Region].Name
	}
	return n.Service.String() + "@" + reg
}
