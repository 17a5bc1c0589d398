package main

// End-to-end KMS cases: each scenario under testdata/cases is run through the
// whole pipeline (scenarios.Load, model.RunTrials, model.Representative, the
// representative trial with a model.Detail, report.Build) and the report is
// checked against what AWS documents (docs/aws-behaviour.md K1..K13, docs/scenario-format.md). The
// trace of the representative trial must explain every failure: an event
// that names the AWS error and the Region where it happened.

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/sim"
)

// caseWorkers is the number of workers the cases run on; the results do not
// depend on it (README, "Determinism"), and the machine is shared.
const caseWorkers = 2

// caseRun is one scenario run through the whole pipeline.
type caseRun struct {
	path    string
	cfg     *model.Config
	results []model.TrialResult
	rep     int
	detail  *model.Detail
	report  *report.Report
}

// runCase runs testdata/cases/file with the scenario's own trials and seed.
func runCase(t *testing.T, file string) *caseRun {
	t.Helper()
	path := filepath.Join("testdata", "cases", file)
	cfg, loc, err := scenarios.ResolveLocated(path)
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	results := model.RunTrials(cfg, cfg.Seed, cfg.Trials, caseWorkers, nil)
	rep := model.Representative(results)
	detail := &model.Detail{}
	model.NewRunner(cfg).Trial(cfg.Seed, rep, detail)
	r := report.Build(cfg, cfg.Seed, results, detail, rep)
	r.LocateFindings(cfg, loc)
	return &caseRun{
		path:    path,
		cfg:     cfg,
		results: results,
		rep:     rep,
		detail:  detail,
		report:  r,
	}
}

// region returns the index of the named region.
func (c *caseRun) region(t *testing.T, name string) int {
	t.Helper()
	for i := range c.cfg.Regions {
		if c.cfg.Regions[i].Name == name {
			return i
		}
	}
	t.Fatalf("%s: no region %q", c.path, name)
	return -1
}

// reason returns the kms.Reason with the given AWS error name.
func reason(t *testing.T, name string) kms.Reason {
	t.Helper()
	for r := kms.Reason(1); r < kms.NumReasons; r++ {
		if r.String() == name {
			return r
		}
	}
	t.Fatalf("no KMS failure reason %q", name)
	return kms.OK
}

// op returns the summary of the named action or step.
func (c *caseRun) op(t *testing.T, name string) *report.OpSummary {
	t.Helper()
	for i := range c.report.Operations {
		if c.report.Operations[i].Name == name {
			return &c.report.Operations[i]
		}
	}
	t.Fatalf("%s: no operation %q in the report", c.path, name)
	return nil
}

// eventAt returns the time of the first event of kind in the trace, or -1.
func (c *caseRun) eventAt(kind string) sim.Time {
	for _, e := range c.detail.Events {
		if e.Kind == kind {
			return e.T
		}
	}
	return -1
}

// window says over which part of a trial calls fail.
type window int

const (
	// fromT0 is from T0 until the service is up again.
	fromT0 window = iota
	// fromMove is from the move of traffic to the failover region until the
	// service is up again.
	fromMove
)

// failing is a KMS failure a case must produce: calls failing with reason in
// region (the region the call is sent to) at rate calls/s over window, in
// every incident trial.
type failing struct {
	reason string
	region string
	rate   float64
	window window
}

// traceWant is an event the representative trial's trace must hold (or,
// in traceNot, must not hold). Empty fields match anything; every string of
// contains must be in the message. afterMove requires the event at or after
// the move of traffic to the failover region.
type traceWant struct {
	kind      string
	err       string
	region    string
	subject   string
	contains  []string
	afterMove bool
}

func (w traceWant) String() string {
	return fmt.Sprintf("{kind %q error %q region %q subject %q message with %q afterMove %v}",
		w.kind, w.err, w.region, w.subject, w.contains, w.afterMove)
}

// match reports whether e matches w; move is the time of the move (-1: none).
func (w traceWant) match(e *model.Event, move sim.Time) bool {
	if (w.kind != "" && e.Kind != w.kind) || (w.err != "" && e.Error != w.err) ||
		(w.region != "" && e.Region != w.region) || (w.subject != "" && e.Subject != w.subject) {
		return false
	}
	for _, s := range w.contains {
		if !strings.Contains(e.Message, s) {
			return false
		}
	}
	return !w.afterMove || (move >= 0 && e.T >= move)
}

// opWant is what the report must say about an action or a runbook step.
type opWant struct {
	name string
	// done is the number of trials in which it succeeded.
	done int
	// errs are AWS errors that failed attempts must include.
	errs []string
	// lastErr, if set, is the AWS error of the last attempt in every
	// trial in which it was not done.
	lastErr string
	// attempts bounds the mean number of attempts.
	attempts [2]float64
	// doneAfterT0 bounds the median time of success after T0 (zero: not
	// checked).
	doneAfterT0 [2]sim.Time
}

// kmsCase is what one scenario must produce. Every trial is an incident
// trial and recovers (each case has a way back within its horizon).
type kmsCase struct {
	file string
	// t0 and rto bound T0 and RTO of every trial.
	t0, rto [2]sim.Time
	// failover reports whether traffic moves to the failover region in
	// every trial; routedBack whether health-checked routing then sends it
	// back to the original region.
	failover, routedBack bool
	// recoveredIn is the region serving when the service is up again.
	recoveredIn string
	// failures are the only KMS failures, by reason and region, with their
	// exact rates.
	failures []failing
	// metRTO is the fraction of trials meeting the RTO objective.
	metRTO float64
	ops    []opWant
	trace  []traceWant
	// traceNot are events the trace must not hold.
	traceNot []traceWant
}

// check runs the case and checks the report, the trials and the trace.
func (k kmsCase) check(t *testing.T) {
	t.Helper()
	c := runCase(t, k.file)
	r := c.report
	n := len(c.results)
	if n != 200 || r.Trials != n {
		t.Fatalf("%d trials, report says %d; the cases run 200", n, r.Trials)
	}
	if r.Metrics.IncidentTrials != n || r.Metrics.RTOSeconds.Unrecovered != 0 || r.Metrics.RTOSeconds.N != n {
		t.Errorf("incident trials %d, unrecovered %d, RTO n %d; want %d incident trials, all recovered",
			r.Metrics.IncidentTrials, r.Metrics.RTOSeconds.Unrecovered, r.Metrics.RTOSeconds.N, n)
	}
	// The summary agrees with the trials.
	lo, hi := seconds(k.rto[0]), seconds(k.rto[1])
	if p := r.Metrics.RTOSeconds.Min; p == nil || *p < lo {
		t.Errorf("rto_seconds.min = %v, want ≥ %g", show(p), lo)
	}
	if p := r.Metrics.RTOSeconds.Max; p == nil || *p > hi {
		t.Errorf("rto_seconds.max = %v, want ≤ %g", show(p), hi)
	}
	if p := r.ObjectivesMet.RTO.P; p == nil || math.Abs(*p-k.metRTO) > 1e-9 {
		t.Errorf("objectives_met.rto.p = %v, want %g", show(p), k.metRTO)
	}

	recIn := c.region(t, k.recoveredIn)
	te := &trialErrors{t: t}
	defer te.done()
	for i := range c.results {
		tr := &c.results[i]
		if !tr.Incident || !tr.Recovered {
			te.Errorf("trial %d: incident %v, recovered %v", tr.Trial, tr.Incident, tr.Recovered)
			continue
		}
		if tr.T0 < k.t0[0] || tr.T0 > k.t0[1] {
			te.Errorf("trial %d: T0 = %s, want in [%s, %s]", tr.Trial, fmtT(tr.T0), fmtT(k.t0[0]), fmtT(k.t0[1]))
		}
		if tr.RTO < k.rto[0] || tr.RTO > k.rto[1] {
			te.Errorf("trial %d: RTO = %s, want in [%s, %s]", tr.Trial, fmtT(tr.RTO), fmtT(k.rto[0]), fmtT(k.rto[1]))
		}
		if !slices.Equal(tr.RecoveredIn, []int{recIn}) {
			te.Errorf("trial %d: recovered in %v, want [%d] (%s)", tr.Trial, tr.RecoveredIn, recIn, k.recoveredIn)
		}
		if moved := tr.FailoverAt >= 0; moved != k.failover || tr.RoutedBack != k.routedBack {
			te.Errorf("trial %d: failover at %s, routed back %v; want failover %v, routed back %v",
				tr.Trial, fmtT(tr.FailoverAt), tr.RoutedBack, k.failover, k.routedBack)
		}
		if k.failover && tr.FailoverAt >= 0 && (tr.FailoverAt < tr.T0 || tr.FailoverAt > tr.T0+tr.RTO) {
			te.Errorf("trial %d: failover at %s, outside [T0, T0+RTO] = [%s, %s]",
				tr.Trial, fmtT(tr.FailoverAt), fmtT(tr.T0), fmtT(tr.T0+tr.RTO))
		}
		// KMS failures: exactly the expected ones, at the expected rate
		// over the expected window.
		want := make([]float64, len(tr.KMSFailures))
		for _, f := range k.failures {
			from := tr.T0
			if f.window == fromMove {
				from = tr.FailoverAt
			}
			if from < 0 {
				from = tr.T0 + tr.RTO
			}
			want[int(reason(t, f.reason))*len(c.cfg.Regions)+c.region(t, f.region)] += f.rate * seconds(tr.T0+tr.RTO-from)
		}
		for j, got := range tr.KMSFailures {
			if math.Abs(got-want[j]) > 1e-6*math.Max(1, want[j]) {
				rs, reg := kms.Reason(j/len(c.cfg.Regions)), c.cfg.Regions[j%len(c.cfg.Regions)].Name
				te.Errorf("trial %d: %g calls failed with %s in %s, want %g", tr.Trial, got, rs, reg, want[j])
			}
		}
	}
	// The report's failures by reason and region are the expected ones,
	// and only those.
	var names []string
	for _, f := range k.failures {
		names = append(names, f.reason+"/"+f.region)
		if v := r.Metrics.KMSFailures.ByReasonRegion[f.reason][f.region]; v <= 0 {
			t.Errorf("decrypt_failures.by_reason_region[%s][%s] = %g, want > 0", f.reason, f.region, v)
		}
		if v := r.Metrics.KMSFailures.ByReason[f.reason]; v <= 0 {
			t.Errorf("decrypt_failures.by_reason[%s] = %g, want > 0", f.reason, v)
		}
		if v := r.Metrics.KMSFailures.ByRegion[f.region]; v <= 0 {
			t.Errorf("decrypt_failures.by_region[%s] = %g, want > 0", f.region, v)
		}
	}
	for rs, byReg := range r.Metrics.KMSFailures.ByReasonRegion {
		for reg, v := range byReg {
			if v != 0 && !slices.Contains(names, rs+"/"+reg) {
				t.Errorf("unexpected KMS failures: %g %s in %s per trial", v, rs, reg)
			}
		}
	}

	for _, w := range k.ops {
		o := c.op(t, w.name)
		if o.TrialsStarted != n || o.TrialsDone != w.done {
			t.Errorf("%s: started in %d, done in %d trials; want started in %d, done in %d",
				w.name, o.TrialsStarted, o.TrialsDone, n, w.done)
		}
		for _, e := range w.errs {
			if o.Errors[e] == 0 {
				t.Errorf("%s: no failed attempt with %s: %v", w.name, e, o.Errors)
			}
		}
		if w.lastErr != "" {
			// LastErrors is keyed by the error's message, which names the
			// AWS error.
			sum := 0
			for msg, m := range o.LastErrors {
				if !strings.Contains(msg, w.lastErr) {
					t.Errorf("%s: last error %q in %d trials, want %s", w.name, msg, m, w.lastErr)
				}
				sum += m
			}
			if sum != n-w.done {
				t.Errorf("%s: last errors %v, want %s in %d trials", w.name, o.LastErrors, w.lastErr, n-w.done)
			}
		}
		if o.AttemptsMean < w.attempts[0] || o.AttemptsMean > w.attempts[1] {
			t.Errorf("%s: %g attempts on average, want in %v", w.name, o.AttemptsMean, w.attempts)
		}
		if w.doneAfterT0[1] > 0 {
			p := o.DoneAfterT0P50Seconds
			if p == nil || *p < seconds(w.doneAfterT0[0]) || *p > seconds(w.doneAfterT0[1]) {
				t.Errorf("%s: done T0+%vs (median), want in [%s, %s]", w.name, show(p),
					fmtT(w.doneAfterT0[0]), fmtT(w.doneAfterT0[1]))
			}
		}
		if o.Summary == "" || o.Representative == "" {
			t.Errorf("%s: empty summary %q or story %q", w.name, o.Summary, o.Representative)
		}
	}

	// The trace of the representative trial explains what happened.
	move := c.eventAt("traffic-moved")
	if (move >= 0) != k.failover {
		t.Errorf("representative trial %d: traffic moved at %s, want a move: %v", c.rep, fmtT(move), k.failover)
	}
	for _, w := range k.trace {
		if !slices.ContainsFunc(c.detail.Events, func(e model.Event) bool { return w.match(&e, move) }) {
			t.Errorf("representative trial %d: no event %v in the trace:\n%s", c.rep, w, traceText(c.detail))
		}
	}
	for _, w := range k.traceNot {
		if i := slices.IndexFunc(c.detail.Events, func(e model.Event) bool { return w.match(&e, move) }); i >= 0 {
			t.Errorf("representative trial %d: unexpected event %s", c.rep, c.detail.Events[i].Message)
		}
	}
	if rp := r.Representative; rp == nil || rp.Trial != c.rep || len(rp.Events) != len(c.detail.Events) {
		t.Errorf("the report's representative trial does not carry the trace of trial %d", c.rep)
	}
}

// maxTrialErrors is how many failed per-trial checks a test prints.
const maxTrialErrors = 5

// trialErrors reports the first maxTrialErrors failed per-trial checks,
// then how many more there were, so that a wrong case does not print a
// line for each of its 200 trials.
type trialErrors struct {
	t *testing.T
	n int
}

func (e *trialErrors) Errorf(format string, args ...any) {
	e.t.Helper()
	e.n++
	if e.n <= maxTrialErrors {
		e.t.Errorf(format, args...)
	}
}

func (e *trialErrors) done() {
	e.t.Helper()
	if e.n > maxTrialErrors {
		e.t.Errorf("... and %d more failed trial checks", e.n-maxTrialErrors)
	}
}

func seconds(d sim.Time) float64 { return float64(d) / float64(sim.Second) }

func fmtT(d sim.Time) string {
	if d < 0 {
		return "never"
	}
	return sim.FormatDuration(d)
}

func show(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func traceText(d *model.Detail) string {
	var b strings.Builder
	for _, e := range d.Events {
		fmt.Fprintf(&b, "  %s\t%s\t%s\t%s\t%s\n", sim.FormatDuration(e.T), e.Kind, e.Region, e.Error, e.Message)
	}
	return b.String()
}

// Every outage case: us-east-1 fails between 2h and 6h (case 3: 4h) for
// exactly 4h; the runbook is detect normal(3m, 1m) + approve uniform(5m,
// 10m) + dns 1m, so a failover that works recovers in 6m..20m (the normal's
// tail beyond 9 sd is not reached in 200 trials).
const (
	outage   = 4 * sim.Hour
	runbookL = 6 * sim.Minute
	runbookH = 20 * sim.Minute
	// detectH bounds the detect delay of health-checked routing.
	detectH = 10 * sim.Minute
)

var (
	outageStart   = [2]sim.Time{2 * sim.Hour, 6 * sim.Hour}
	runbookRTO    = [2]sim.Time{runbookL, runbookH}
	outageRTO     = [2]sim.Time{outage, outage}
	routeBackRTO  = [2]sim.Time{outage, outage + detectH}
	serviceDown   = traceWant{kind: "service-down", contains: []string{"serving us-east-1"}}
	trafficMoved  = traceWant{kind: "traffic-moved", region: "us-west-2"}
	upInWest      = traceWant{kind: "service-up", contains: []string{"serving us-west-2"}}
	routedBack    = traceWant{kind: "routed-back", region: "us-east-1", afterMove: true}
	upInEastAfter = traceWant{kind: "service-up", contains: []string{"serving us-east-1"}, afterMove: true}
	noKMSFailure  = traceWant{kind: "kms-failure"}
)

// TestKMSCase_SingleRegionClientKey: case 1. A single-Region key is always
// called in its home Region (K12), so after the failover the client-side
// calls still go to us-east-1 and fail with KMSUnavailable there: the
// failover does not help, the service is back when us-east-1 is (RTO = the
// outage, served from us-west-2).
func TestKMSCase_SingleRegionClientKey(t *testing.T) {
	kmsCase{
		file:        "single-region-client-key.toml",
		t0:          outageStart,
		rto:         outageRTO,
		failover:    true,
		recoveredIn: "us-west-2",
		failures:    []failing{{"KMSUnavailable", "us-east-1", 500, fromMove}},
		trace: []traceWant{serviceDown, trafficMoved,
			{kind: "kms-failure", err: "KMSUnavailable", region: "us-east-1", subject: "tokens", afterMove: true,
				contains: []string{"Decrypt", "KMSUnavailable", "KMS down in us-east-1", "from us-west-2"}},
			{kind: "kms-failure", err: "KMSUnavailable", region: "us-east-1", afterMove: true,
				contains: []string{"GenerateDataKey", "KMSUnavailable", "KMS down in us-east-1"}},
			{kind: "outage-end", region: "us-east-1"},
			{kind: "kms-failure", region: "us-east-1", contains: []string{"KMSUnavailable in us-east-1 stopped"}},
			upInWest},
	}.check(t)
}

// TestKMSCase_MRKClientKey: case 2. With a multi-Region key the client calls
// the related key in its own Region (K12), and the replica works with the
// primary's Region down (K7): the failover recovers in runbook time and no
// KMS call fails.
func TestKMSCase_MRKClientKey(t *testing.T) {
	kmsCase{
		file:        "mrk-client-key.toml",
		t0:          outageStart,
		rto:         runbookRTO,
		failover:    true,
		recoveredIn: "us-west-2",
		metRTO:      1,
		trace:       []traceWant{serviceDown, trafficMoved, upInWest},
		traceNot:    []traceWant{noKMSFailure},
	}.check(t)
}

// TestKMSCase_ReplicaAfterOutage: case 3. ReplicateKey goes to the primary's
// Region (K5), down: the action fails with KMSUnavailable, the replica never
// exists, and after the failover every client-side call fails with
// NotFoundException in us-west-2 (K12) until routing goes back to us-east-1.
func TestKMSCase_ReplicaAfterOutage(t *testing.T) {
	kmsCase{
		file:        "replica-after-outage.toml",
		t0:          [2]sim.Time{2 * sim.Hour, 4 * sim.Hour},
		rto:         routeBackRTO,
		failover:    true,
		routedBack:  true,
		recoveredIn: "us-east-1",
		failures:    []failing{{"NotFoundException", "us-west-2", 500, fromMove}},
		ops: []opWant{{name: "actions[0]: replicate-key tokens us-west-2", done: 0,
			errs: []string{"KMSUnavailable"}, lastErr: "KMSUnavailable", attempts: [2]float64{1, 1}}},
		trace: []traceWant{serviceDown, trafficMoved,
			{kind: "kms-failure", err: "NotFoundException", region: "us-west-2", subject: "tokens", afterMove: true,
				contains: []string{"NotFoundException", "no related key in us-west-2"}},
			{kind: "action", err: "KMSUnavailable", region: "us-west-2",
				contains: []string{"ReplicateKey", "KMSUnavailable", "unavailable in us-east-1"}},
			routedBack, upInEastAfter},
		// The replica never appears.
		traceNot: []traceWant{{kind: "key-state", subject: "tokens", region: "us-west-2"}},
	}.check(t)
}

// TestKMSCase_ReplicaPolicyLacksApp: case 4. Key policies are per copy (K4):
// the replica's does not allow the application, so after the failover every
// client-side call fails with AccessDeniedException in us-west-2, until
// routing goes back to us-east-1.
func TestKMSCase_ReplicaPolicyLacksApp(t *testing.T) {
	kmsCase{
		file:        "replica-policy-lacks-app.toml",
		t0:          outageStart,
		rto:         routeBackRTO,
		failover:    true,
		routedBack:  true,
		recoveredIn: "us-east-1",
		failures:    []failing{{"AccessDeniedException", "us-west-2", 500, fromMove}},
		trace: []traceWant{serviceDown, trafficMoved,
			{kind: "kms-failure", err: "AccessDeniedException", region: "us-west-2", subject: "tokens", afterMove: true,
				contains: []string{"AccessDeniedException", "app not in the key policy", "in us-west-2"}},
			routedBack, upInEastAfter},
	}.check(t)
}

// TestKMSCase_PromoteRequired: case 5. UpdatePrimaryRegion goes to the
// current primary's Region (K8): it fails with KMSUnavailable every 5
// minutes while us-east-1 is down. The step is required, so traffic never
// moves; when us-east-1 is back the runbook is abandoned (RTO = the outage).
func TestKMSCase_PromoteRequired(t *testing.T) {
	kmsCase{
		file:        "promote-required.toml",
		t0:          outageStart,
		rto:         outageRTO,
		recoveredIn: "us-east-1",
		// About 4h / 5m attempts, less the runbook before the first.
		ops: []opWant{{name: "promote-key", done: 0, errs: []string{"KMSUnavailable"}, lastErr: "KMSUnavailable",
			attempts: [2]float64{44, 48}}},
		trace: []traceWant{serviceDown,
			{kind: "step-op", err: "KMSUnavailable", region: "us-west-2", subject: "promote-key",
				contains: []string{"UpdatePrimaryRegion", "KMSUnavailable", "unavailable in us-east-1"}},
			{kind: "runbook-abandoned"},
			{kind: "service-up", contains: []string{"serving us-east-1"}}},
		traceNot: []traceWant{trafficMoved, noKMSFailure, {kind: "step-done", subject: "promote-key"}},
	}.check(t)
}

// TestKMSCase_PromoteOptional: case 6. The same step, optional: the failover
// does not wait for it (RTO = the runbook); it keeps retrying after the move
// and succeeds once us-east-1 is back (about T0+4h), and crypto keeps
// working while both copies are Updating (K8).
func TestKMSCase_PromoteOptional(t *testing.T) {
	kmsCase{
		file:        "promote-optional.toml",
		t0:          outageStart,
		rto:         runbookRTO,
		failover:    true,
		recoveredIn: "us-west-2",
		metRTO:      1,
		ops: []opWant{{name: "promote-key", done: 200, errs: []string{"KMSUnavailable"},
			attempts: [2]float64{45, 49}, doneAfterT0: [2]sim.Time{outage, outage + runbookH}}},
		trace: []traceWant{serviceDown, trafficMoved, upInWest,
			{kind: "step-op", err: "KMSUnavailable", region: "us-west-2", subject: "promote-key",
				contains: []string{"UpdatePrimaryRegion", "KMSUnavailable", "unavailable in us-east-1"}},
			{kind: "step-op", subject: "promote-key", afterMove: true, contains: []string{"update-primary-region succeeded"}},
			{kind: "key-state", subject: "tokens", region: "us-west-2", afterMove: true, contains: []string{"primary Region moved"}},
			{kind: "key-state", subject: "tokens", region: "us-west-2", afterMove: true, contains: []string{"Updating -> Enabled"}}},
		traceNot: []traceWant{noKMSFailure},
	}.check(t)
}

// TestKMSCase_FailoverOverQuota: case 7. Quotas are per Region (K13): the
// 500 calls/s of us-west-2 carry its own 20/s of replication before the
// failover, but not the 2520/s after it. The excess fraction 1 − 500/2520 of
// the calls (2020/s) fails with ThrottlingException, far more than the 1%
// the success objective allows: the service stays down until routing goes
// back to us-east-1.
func TestKMSCase_FailoverOverQuota(t *testing.T) {
	kmsCase{
		file:        "failover-over-quota.toml",
		t0:          outageStart,
		rto:         routeBackRTO,
		failover:    true,
		routedBack:  true,
		recoveredIn: "us-east-1",
		failures:    []failing{{"ThrottlingException", "us-west-2", 2520 - 500, fromMove}},
		trace: []traceWant{serviceDown, trafficMoved,
			{kind: "kms-failure", err: "ThrottlingException", region: "us-west-2", subject: "tokens", afterMove: true,
				contains: []string{"ThrottlingException", "demand 2520/s over quota 500/s"}},
			routedBack, upInEastAfter},
	}.check(t)
}

// TestKMSCase_PrimaryScheduledForDeletion: case 8. No outage: a primary that
// still has a replica goes to PendingReplicaDeletion at once (K11), where
// crypto fails with KMSInvalidStateException (K10), so the service is down
// at 2h exactly; the replica keeps working (K7) and the failover recovers in
// runbook time.
func TestKMSCase_PrimaryScheduledForDeletion(t *testing.T) {
	kmsCase{
		file:        "primary-scheduled-for-deletion.toml",
		t0:          [2]sim.Time{2 * sim.Hour, 2 * sim.Hour},
		rto:         runbookRTO,
		failover:    true,
		recoveredIn: "us-west-2",
		metRTO:      1,
		failures:    []failing{{"KMSInvalidStateException", "us-east-1", 500, fromT0}},
		ops: []opWant{{name: "actions[0]: schedule-key-deletion tokens us-east-1", done: 200,
			attempts: [2]float64{1, 1}}},
		trace: []traceWant{
			{kind: "key-state", subject: "tokens", region: "us-east-1", contains: []string{"Enabled -> PendingReplicaDeletion"}},
			{kind: "kms-failure", err: "KMSInvalidStateException", region: "us-east-1", subject: "tokens",
				contains: []string{"KMSInvalidStateException", "PendingReplicaDeletion", "in us-east-1"}},
			serviceDown, trafficMoved, upInWest},
		traceNot: []traceWant{{kind: "outage-start"}, {kind: "kms-failure", region: "us-west-2"}},
	}.check(t)
}

// TestDynamoDB20hRule: issue 4 through the whole pipeline. The us-west-2
// replica's at-rest key copy is disabled at 1h; enabled again at 10h the
// replica catches up and the failover at about 26h loses only in-flight
// writes; enabled at 25h it is too late: the replica left the global table
// at 21h. It is not deleted (AWS API Reference, ReplicaDescription), so it
// serves again, as a single-Region table, what it held at 1h: the failover
// loses everything written since 1h (RPO ≈ T0 − 1h ≈ 25h).
func TestDynamoDB20hRule(t *testing.T) {
	const (
		writes  = 100 // per second, the table's
		offered = 500 // reads and writes per second
	)
	tests := []struct {
		file string
		left bool
		// stale is when the us-west-2 copy stopped receiving writes, or
		// -1 when it is current.
		stale   sim.Time
		events  []string
		rpoMetP float64
	}{
		{"ddb-20h-reenabled-10h.toml", false, -1, []string{"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ACTIVE"}, 1},
		{"ddb-20h-reenabled-25h.toml", true, sim.Hour, []string{"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "LEFT", "ACTIVE"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := runCase(t, tt.file)
			west := c.region(t, "us-west-2")
			te := &trialErrors{t: t}
			defer te.done()
			for i := range c.results {
				tr := &c.results[i]
				if !tr.Incident || !tr.Recovered || tr.T0 < 25*sim.Hour+50*sim.Minute || tr.T0 > 26*sim.Hour+10*sim.Minute ||
					!slices.Equal(tr.RecoveredIn, []int{west}) {
					t.Fatalf("trial %d: incident %v recovered %v T0 %s in %v; want T0 ≈ 26h, recovered in us-west-2",
						tr.Trial, tr.Incident, tr.Recovered, fmtT(tr.T0), tr.RecoveredIn)
				}
				// In flight at T0 (or at 1h): a DynamoDB lag, under 10 s.
				rpo := [2]sim.Time{0, 10 * sim.Second}
				lost := [2]float64{0, 1000}
				if tt.stale >= 0 {
					rpo = [2]sim.Time{tr.T0 - tt.stale, tr.T0 - tt.stale + 10*sim.Second}
					mean := writes * seconds(tr.T0-tt.stale)
					lost = [2]float64{mean - 6*math.Sqrt(mean), mean + 6*math.Sqrt(mean)}
				}
				if tr.RPO < rpo[0] || tr.RPO > rpo[1] {
					te.Errorf("trial %d: T0 %s, RPO %s, want in [%s, %s]", tr.Trial, fmtT(tr.T0), fmtT(tr.RPO), fmtT(rpo[0]), fmtT(rpo[1]))
				}
				if l := float64(tr.LostTotal); l < lost[0] || l > lost[1] {
					te.Errorf("trial %d: %g lost writes, want in %v", tr.Trial, l, lost)
				}
				// Nothing is unavailable once traffic is in us-west-2: the
				// replica serves, in the group or not.
				if want := offered * seconds(tr.RTO); math.Abs(tr.Unavailable-want) > 1e-6*want {
					te.Errorf("trial %d: %g requests unavailable, want %g (the %s before the failover)",
						tr.Trial, tr.Unavailable, want, fmtT(tr.RTO))
				}
			}
			r := c.report
			// The report: RPO of seconds, or of about 25h (T0 in 25h50m..26h10m).
			rpoLo, rpoHi := 0.0, 10.0
			if tt.stale >= 0 {
				rpoLo, rpoHi = seconds(25*sim.Hour-10*sim.Minute), seconds(25*sim.Hour+10*sim.Minute+10*sim.Second)
			}
			if p := r.Metrics.RPOSeconds.Min; p == nil || *p < rpoLo {
				t.Errorf("rpo_seconds.min = %v, want ≥ %g", show(p), rpoLo)
			}
			if p := r.Metrics.RPOSeconds.Max; p == nil || *p > rpoHi {
				t.Errorf("rpo_seconds.max = %v, want ≤ %g", show(p), rpoHi)
			}
			if p := r.ObjectivesMet.RPO.P; p == nil || *p != tt.rpoMetP {
				t.Errorf("objectives_met.rpo.p = %v, want %g", show(p), tt.rpoMetP)
			}
			// About 100 writes/s for 25h, or a lag's worth.
			lostLo, lostHi := 0.0, 1000.0
			if tt.stale >= 0 {
				lostLo, lostHi = writes*seconds(25*sim.Hour-10*sim.Minute)*0.99, writes*seconds(25*sim.Hour+10*sim.Minute)*1.01
			}
			if s, ok := r.Metrics.LostWrites.ByStore["sessions"]; !ok || s.Min == nil || s.Max == nil || *s.Min < lostLo || *s.Max > lostHi {
				t.Errorf("lost_writes.by_store.sessions = %v..%v, want in [%g, %g]", show(s.Min), show(s.Max), lostLo, lostHi)
			}
			for _, op := range []string{"actions[0]: disable-key data us-west-2", "actions[1]: enable-key data us-west-2"} {
				if o := c.op(t, op); o.TrialsDone != len(c.results) {
					t.Errorf("%s done in %d trials", op, o.TrialsDone)
				}
			}
			// The trace says why: the replica's state changes, with the
			// AWS error and the Region.
			var got []string
			for _, e := range c.detail.Events {
				if e.Kind == "replication" && e.Subject == "sessions" && e.Region == "us-west-2" {
					got = append(got, e.Outcome)
				}
			}
			if !slices.Equal(got, tt.events) {
				t.Errorf("replica states in the trace %v, want %v:\n%s", got, tt.events, traceText(c.detail))
			}
			inacc := traceWant{kind: "replication", region: "us-west-2",
				contains: []string{"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "DisabledException", "data in us-west-2"}}
			if !slices.ContainsFunc(c.detail.Events, func(e model.Event) bool { return inacc.match(&e, -1) && e.T == sim.Hour }) {
				t.Errorf("no event %v at 1h:\n%s", inacc, traceText(c.detail))
			}
			left := slices.ContainsFunc(c.detail.Events, func(e model.Event) bool {
				return e.Kind == "replication" && e.Outcome == "LEFT" && e.T == 21*sim.Hour
			})
			if left != tt.left {
				t.Errorf("replica left the group at 21h: %v, want %v", left, tt.left)
			}
		})
	}
}

// TestKMSCasesCLI: the CLI prints, byte for byte, the report the tests above
// check, whatever the number of workers.
func TestKMSCasesCLI(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.toml"))
	if err != nil || len(files) != 10 {
		t.Fatalf("cases: %v, %v; want 10 files", files, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := runCase(t, filepath.Base(path))
			var want bytes.Buffer
			if err := report.WriteJSON(&want, c.report); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if err := run([]string{"run", path, "--format", "json", "--quiet", "--workers", "1"}, &out, &errb); err != nil {
				t.Fatalf("drsim run %s: %v\n%s", path, err, errb.String())
			}
			if !bytes.Equal(out.Bytes(), want.Bytes()) {
				t.Errorf("drsim run %s --format json differs from the report of the pipeline", path)
			}
		})
	}
}
