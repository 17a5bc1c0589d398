package render

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/report/internal/human"
)

// The tables and sentences every format shares. They hold plain text: each
// format escapes what it writes.

// recoveryHeader heads the table of recoveryRows.
var recoveryHeader = []string{"", "n", "p50", "p90", "p95", "p99", "max", "mean", "objective", "P(meet)", "95% CI"}

// recoveryRows are the RTO, RPO and "both" rows of the recovery table.
func recoveryRows(r *report.Report) [][]string {
	m := &r.Metrics
	both := r.ObjectivesMet.Both
	return [][]string{
		durRow("RTO", &m.RTOSeconds.Summary, m.RTOSeconds.Unrecovered > 0, r.Objectives.RTOSeconds, r.ObjectivesMet.RTO),
		durRow("RPO", &m.RPOSeconds.Summary, m.RPOSeconds.Unbounded > 0, r.Objectives.RPOSeconds, r.ObjectivesMet.RPO),
		{"both", "", "", "", "", "", "", "", "", human.PctOr(both.P, "-"), human.CIPct(both.CI95)},
	}
}

// lostHeader heads the table of lostRows.
var lostHeader = []string{"store", "n", "mean", "p50", "p90", "p95", "p99", "max"}

// lostRows are the lost writes in total, then by store.
func lostRows(l *report.LostSummary) [][]string {
	rows := [][]string{countRow("total", &l.Summary, l.Unbounded > 0)}
	for _, k := range slices.Sorted(maps.Keys(l.ByStore)) {
		s := l.ByStore[k]
		// A store's max is null only when it falls on +Inf.
		rows = append(rows, countRow(k, &s, l.Unbounded > 0 && s.N > 0 && s.Max == nil))
	}
	return rows
}

// kmsFailuresHeading names the failed cryptographic calls the same way in
// every format.
const kmsFailuresHeading = "KMS failures"

// kmsFailuresNote says what the KMS failures table counts.
const kmsFailuresNote = "Failed KMS cryptographic calls (Decrypt, Encrypt, GenerateDataKey), mean per trial over all trials, by AWS error and by the region the call was sent to."

// failureRows returns the KMS failures table: the reasons with failures by
// region, then the totals.
func failureRows(f *report.Failures) (header []string, rows [][]string) {
	regions := slices.Sorted(maps.Keys(f.ByRegion))
	header = append(append([]string{"AWS error"}, regions...), "total")
	for _, reason := range slices.Sorted(maps.Keys(f.ByReason)) {
		if f.ByReason[reason] == 0 {
			continue
		}
		row := []string{reason}
		for _, g := range regions {
			row = append(row, human.Num(f.ByReasonRegion[reason][g]))
		}
		rows = append(rows, append(row, human.Num(f.ByReason[reason])))
	}
	total := []string{"total"}
	for _, g := range regions {
		total = append(total, human.Num(f.ByRegion[g]))
	}
	return header, append(rows, append(total, human.Num(f.TotalMean)))
}

// kmsAttributionNote says what the by-key and by-store tables count.
const kmsAttributionNote = "The same failed calls by the key they were made with and by the store they were made for (the app's requests and S3 replication), by AWS error."

// attributionRows returns a KMS failures table by key or by store (first
// names the column): a row per name with failures, sorted by name, with a
// column per AWS error that has failures and the total; no rows when
// there is none.
func attributionRows(first string, total map[string]float64, byReason map[string]map[string]float64) (header []string, rows [][]string) {
	reasons := map[string]bool{}
	for _, m := range byReason {
		for r, v := range m {
			if v != 0 {
				reasons[r] = true
			}
		}
	}
	cols := slices.Sorted(maps.Keys(reasons))
	header = append(append([]string{first}, cols...), "total")
	for _, name := range slices.Sorted(maps.Keys(total)) {
		if total[name] == 0 {
			continue
		}
		row := []string{name}
		for _, r := range cols {
			row = append(row, human.Num(byReason[name][r]))
		}
		rows = append(rows, append(row, human.Num(total[name])))
	}
	return header, rows
}

// keyFailureRows and storeFailureRows are the KMS failures by key and by
// store.
func keyFailureRows(f *report.Failures) ([]string, [][]string) {
	return attributionRows("key", f.ByKey, f.ByKeyReason)
}

func storeFailureRows(f *report.Failures) ([]string, [][]string) {
	return attributionRows("store", f.ByStore, f.ByStoreReason)
}

// availabilityHeader heads the table of availabilityRows.
var availabilityHeader = []string{"", "over", "mean", "min", "p50", "max"}

// availabilityRows compare the availability over the horizon (which the
// horizon's length sets) with the share of requests that succeeded over
// the incident window, which does not depend on it.
func availabilityRows(m *report.Metrics) [][]string {
	return [][]string{
		fracRow("up time / horizon", "all trials", &m.Availability),
		fracRow("requests succeeded", "all trials", &m.RequestSuccess),
		fracRow("requests succeeded, T0 to recovery", "incident trials", &m.IncidentRequestSuccess),
	}
}

// unavailableText is the sentence on the requests that failed other than by
// KMS: how many per trial, at what rate, and what share of the offered.
func unavailableText(r *report.Report) string {
	m := &r.Metrics
	s := "requests failed other than by KMS: " + human.Num(m.Unavailable) + " per trial"
	var more []string
	if r.HorizonSeconds > 0 {
		more = append(more, human.Num(m.UnavailablePerSecond)+" per second over the "+human.Dur(r.HorizonSeconds)+" horizon")
	}
	if m.UnavailableShare != nil {
		more = append(more, sharePct(*m.UnavailableShare)+" of the "+human.Num(m.OfferedMean)+" requests offered per trial")
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, "; ") + ")"
	}
	return s
}

// sharePct formats a share as a percentage, with two significant digits
// when it is under 1%.
func sharePct(x float64) string {
	if x > 0 && x < 0.01 {
		return strconv.FormatFloat(x*100, 'g', 2, 64) + "%"
	}
	return human.Pct(x)
}

// costHeader heads the table of costRows.
var costHeader = []string{"item", "USD/month", "detail"}

// costRows are the cost items, then a total row.
func costRows(c *cost.Monthly) [][]string {
	rows := make([][]string, 0, len(c.Items)+1)
	for _, it := range c.Items {
		rows = append(rows, []string{it.Name, human.USD(it.USD), it.Detail})
	}
	return append(rows, []string{"total", human.USD(c.Total), ""})
}

// opHeader heads the table of opRows (errors only with withErrors).
func opHeader(withErrors bool) []string {
	h := []string{"operation", "op", "started", "done", "failed", "abandoned", "not started", "attempts", "done p50", "done p90"}
	if withErrors {
		h = append(h, "errors")
	}
	return h
}

// opNote says what the operations table counts.
const opNote = "Over all trials: of the trials in which an operation started, it was done, failed (refused, or not done at the horizon) or abandoned (in progress when the runbook stopped because the service came back). Steps are timed from T0, actions from the trial start. Each line below tells the representative trial's story first."

// opRows is a row per operation: name, op, trials started, done, failed,
// abandoned and not started, attempts, done p50 and p90, and with
// withErrors its errors.
func opRows(ops []report.OpSummary, withErrors bool) [][]string {
	rows := make([][]string, 0, len(ops))
	for i := range ops {
		op := &ops[i]
		name := op.Name
		if op.Required {
			name += " (required)"
		}
		row := []string{name, dashIfEmpty(op.Op), human.Int(op.TrialsStarted), human.Int(op.TrialsDone),
			human.Int(op.TrialsFailed), human.Int(op.TrialsAbandoned), human.Int(op.TrialsNotStarted),
			attemptsText(op), op.DoneText(true), op.DoneText(false)}
		if withErrors {
			row = append(row, errorsText(op.Errors))
		}
		rows = append(rows, row)
	}
	return rows
}

// durRow is a row of durations with the objective and the probability of
// meeting it. A null percentile is ∞ when inf, else "-".
func durRow(name string, s *report.Summary, inf bool, objective *float64, met report.Probability) []string {
	nilText := "-"
	if inf {
		nilText = "∞"
	}
	return []string{name, human.Int(s.N),
		human.DurOr(s.P50, nilText), human.DurOr(s.P90, nilText), human.DurOr(s.P95, nilText),
		human.DurOr(s.P99, nilText), human.DurOr(s.Max, nilText), human.DurOr(s.Mean, "-"),
		human.DurOr(objective, "none"), human.PctOr(met.P, "-"), human.CIPct(met.CI95)}
}

// countRow is a row of counts; inf when the sample has +Inf values
// (unbounded lost writes): a null percentile is then "∞".
func countRow(name string, s *report.Summary, inf bool) []string {
	nilText := "-"
	if inf {
		nilText = "∞"
	}
	return []string{name, human.Int(s.N), human.NumOr(s.Mean, "-"), human.NumOr(s.P50, nilText), human.NumOr(s.P90, nilText),
		human.NumOr(s.P95, nilText), human.NumOr(s.P99, nilText), human.NumOr(s.Max, nilText)}
}

// fracRow is a row of fractions over the given trials (low values matter
// most, so the minimum comes first).
func fracRow(name, over string, s *report.Summary) []string {
	return []string{name, over + " (" + human.Int(s.N) + ")", human.PctOr(s.Mean, "-"), human.PctOr(s.Min, "-"), human.PctOr(s.P50, "-"), human.PctOr(s.Max, "-")}
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// attemptsText is the mean attempts of an op, "-" for a step without op.
func attemptsText(op *report.OpSummary) string {
	if op.Op == "" && len(op.Needs) == 0 {
		return "-"
	}
	return human.Num(op.AttemptsMean)
}

// errorsText lists error counts sorted by name: "KMSUnavailable ×3".
func errorsText(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+" ×"+human.Int(m[k]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// representativeHeading names the representative trial.
func representativeHeading(rp *report.Representative) string {
	return fmt.Sprintf("Representative trial %d (the trial with the median RTO)", rp.Trial)
}

// representativeText tells the story of the representative trial.
func representativeText(rp *report.Representative) string {
	if !rp.Incident {
		return "no incident"
	}
	s := "down at " + human.DurOr(rp.T0Seconds, "-")
	if !rp.Recovered {
		return s + ", not recovered within the horizon"
	}
	rpo := human.DurOr(rp.RPOSeconds, "-")
	if rp.UnboundedRPO {
		rpo = "unbounded (writes that never reach the recovery region)"
	}
	s += ", RTO " + human.DurOr(rp.RTOSeconds, "-") + ", RPO " + rpo
	if rp.LostWrites != nil {
		s += ", " + human.Num(float64(*rp.LostWrites)) + " lost writes"
	}
	if rp.FailoverAtSeconds != nil {
		s += ", traffic moved at " + human.Dur(*rp.FailoverAtSeconds)
	}
	return s
}

// runFacts is the line of run parameters under a report's title.
func runFacts(r *report.Report) string {
	return fmt.Sprintf("%s trials (seed %d, horizon %s), %s with an incident, %s unrecovered",
		human.Int(r.Trials), r.Seed, human.Dur(r.HorizonSeconds), human.Int(r.Metrics.IncidentTrials), human.Int(r.Metrics.RTOSeconds.Unrecovered))
}

// runNotes are the lines a document made with overrides or run to
// precision adds under its run facts: "With --set failover.detect=2m,
// --set ...", "Precision ±1.00pp reached after ...".
func runNotes(overrides []report.Override, p *report.Precision) []string {
	var out []string
	if len(overrides) > 0 {
		parts := make([]string, len(overrides))
		for i, o := range overrides {
			parts[i] = "--set " + o.String()
		}
		out = append(out, "With overrides: "+strings.Join(parts, ", "))
	}
	if p != nil {
		t := p.Text()
		out = append(out, strings.ToUpper(t[:1])+t[1:])
	}
	return out
}

// span is a piece of a sentence, bold or not, in plain text.
type span struct {
	Text string
	Bold bool
}

// verdict is the one-paragraph summary of the run; the scenario name is in
// it as it was written, for each format to escape.
func verdict(r *report.Report) []span {
	m := &r.Metrics
	var out []span
	add := func(bold bool, format string, args ...any) {
		out = append(out, span{Text: fmt.Sprintf(format, args...), Bold: bold})
	}
	var objs []string
	if r.Objectives.RTOSeconds != nil {
		objs = append(objs, "RTO ≤ "+human.Dur(*r.Objectives.RTOSeconds))
	}
	if r.Objectives.RPOSeconds != nil {
		objs = append(objs, "RPO ≤ "+human.Dur(*r.Objectives.RPOSeconds))
	}
	both := r.ObjectivesMet.Both
	switch {
	case r.Trials == 0:
		add(true, "No trials were run.")
	case both.P == nil:
		add(true, "%s has no RTO or RPO objective", r.Scenario)
		add(false, ", so it is not judged.")
	case both.Met == both.N:
		add(true, "Meets its objectives (%s) in every one of %s trials", strings.Join(objs, ", "), human.Int(both.N))
		add(false, " (95%% CI %s).", human.CIPct(both.CI95))
	default:
		add(true, "Meets its objectives (%s) in %s of trials", strings.Join(objs, ", "), human.Pct(*both.P))
		add(false, " (95%% CI %s); it misses them in %s of %s.", human.CIPct(both.CI95), human.Int(both.N-both.Met), human.Int(both.N))
	}
	var b strings.Builder
	if r.Trials > 0 {
		if m.IncidentTrials == 0 {
			b.WriteString(" No trial had an incident.")
		} else {
			fmt.Fprintf(&b, " %s of %s trials had an incident", human.Int(m.IncidentTrials), human.Int(r.Trials))
			rto := &m.RTOSeconds
			if rto.P50 != nil {
				fmt.Fprintf(&b, "; their median RTO is %s (p99 %s)", human.Dur(*rto.P50), human.DurOr(rto.P99, "∞"))
			}
			if m.RPOSeconds.P50 != nil {
				fmt.Fprintf(&b, ", median RPO %s (p99 %s)", human.Dur(*m.RPOSeconds.P50), human.DurOr(m.RPOSeconds.P99, "∞"))
			} else if m.RPOSeconds.Unbounded > 0 {
				b.WriteString(", median RPO unbounded (writes that never reach the recovery region)")
			}
			if m.LostWrites.Mean != nil {
				fmt.Fprintf(&b, ", %s lost writes on average", human.Num(*m.LostWrites.Mean))
			}
			b.WriteString(".")
			if rto.Unrecovered > 0 {
				fmt.Fprintf(&b, " %s %s did not recover within %s.", human.Int(rto.Unrecovered),
					human.Plural(rto.Unrecovered, "trial", "trials"), human.Dur(r.HorizonSeconds))
			}
		}
		if m.KMSFailures.TotalMean > 0 {
			fmt.Fprintf(&b, " %s KMS cryptographic calls failed per trial on average (KMS failures).", human.Num(m.KMSFailures.TotalMean))
		}
	}
	fmt.Fprintf(&b, " The setup costs %s per month.", human.USD(r.Cost.MonthlyUSD.Total))
	add(false, "%s", b.String())
	return out
}

// intervalsAssumption says how the report's intervals are computed.
const intervalsAssumption = "Percentile intervals are distribution-free (order statistics); probabilities use Wilson 95% intervals."

// pricesAssumption says where the prices come from and the units of the
// cost model.
func pricesAssumption(p *cost.PriceBookInfo) string {
	return fmt.Sprintf("Prices: %s, dated %s; a month is %d h, a GB is 2^30 bytes.", p.Source, p.Date, cost.HoursPerMonth)
}
