package model

import (
	"math"
	"testing"

	"github.com/drsim/drsim/sim"
)

// TestRetryClosedFormExact: a step retrying a transient failure makes its
// attempts every retry from the first, and succeeds at the first retry
// instant after the cause ends, whatever the retry interval; the attempt
// count is exact (every failed retry counted), while the number of
// attempts actually evaluated does not grow with it.
func TestRetryClosedFormExact(t *testing.T) {
	for _, retry := range []sim.Time{sim.Millisecond, 7 * sim.Second, sim.Minute, 7 * sim.Minute, sim.Hour} {
		t.Run(sim.FormatDuration(retry), func(t *testing.T) {
			cfg := snowyFixed(5 * sim.Hour)
			cfg.Failover.Steps[2].Retry = retry // promote-key
			var d Detail
			r := NewRunner(cfg)
			res := r.Trial(3, 0, &d)
			promote := res.Ops[len(cfg.Actions)+2]
			firstTry := 2*sim.Hour + 14*sim.Minute + 30*sim.Second
			k := (7*sim.Hour - firstTry + retry - 1) / retry // retries until the outage ends at 7h
			if !promote.Done || promote.At != firstTry+k*retry || promote.Attempts != int(k)+1 ||
				len(promote.Errors) != 1 || promote.Errors[0] != (ErrCount{"KMSUnavailable", int(k)}) {
				t.Errorf("promote-key = %+v, want done at %v after %d attempts", promote, sim.FormatDuration(firstTry+k*retry), k+1)
			}
			// The trace has one entry per run of failed attempts, not one per
			// attempt.
			runs := 0
			for _, e := range d.Events {
				if e.Kind == "step-op" && e.Outcome == "retry" {
					runs++
				}
			}
			if runs < 1 || runs > 4 {
				t.Errorf("%d trace entries for runs of retries, want 1 to 4", runs)
			}
		})
	}
}

// TestRetryAbandonedAndHorizon: the attempts of a run that the runbook
// abandons, or that the horizon ends, are counted up to then.
func TestRetryAbandonedAndHorizon(t *testing.T) {
	// The horizon ends the run: the outage outlasts it.
	cfg := snowyFixed(30 * sim.Hour)
	retry := 3 * sim.Second
	cfg.Failover.Steps[2].Retry = retry
	res := NewRunner(cfg).Trial(3, 0, nil)
	promote := res.Ops[len(cfg.Actions)+2]
	firstTry := 2*sim.Hour + 14*sim.Minute + 30*sim.Second
	n := (cfg.Horizon-firstTry)/retry + 1
	if promote.Done || promote.Attempts != int(n) || promote.At != firstTry+(n-1)*retry || promote.Code != "KMSUnavailable" ||
		promote.Outcome != OpFailed {
		t.Errorf("horizon: promote-key = %+v, want %d failed attempts, the last at %v", promote, n, sim.FormatDuration(firstTry+(n-1)*retry))
	}

	// The runbook is abandoned: a required step waiting for a control
	// plane counts its attempts until the service comes back.
	cfg = cpConfig([]Need{{Service: SvcRoute53Control, Region: east}}, regionOutage(east, SvcAll, sim.Hour, 2*sim.Hour))
	cfg.Failover.Steps[0].Retry = 11 * sim.Second
	res = NewRunner(cfg).Trial(1, 0, nil)
	op := res.Ops[0]
	first := sim.Hour + 3*sim.Minute
	n = (3*sim.Hour-first+11*sim.Second-1)/(11*sim.Second) - 0 // attempts at first, first+11s, ... < 3h
	if op.Outcome != OpAbandoned || op.Attempts != int(n) || op.Errors[0].N != int(n) {
		t.Errorf("abandoned: %+v, want %d attempts", op, n)
	}
}

// TestRetryAttemptAtChangeInstant: a retry instant that coincides with a
// change of state sees it (an attempt sees the state after every change
// of its instant).
func TestRetryAttemptAtChangeInstant(t *testing.T) {
	// S3 in us-west-2 is down until 1h10m exactly; the step's attempts fall
	// on whole minutes from 1h03m.
	cfg := cpConfig([]Need{{Service: SvcS3, Region: west}},
		regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour),
		Outage{Kind: RegionOutage, Region: west, Services: SvcS3, Start: sim.ConstDist(0), Duration: sim.ConstDist(sim.Hour + 10*sim.Minute), Probability: 1})
	op := NewRunner(cfg).Trial(1, 0, nil).Ops[0]
	if !op.Done || op.At != sim.Hour+10*sim.Minute || op.Attempts != 8 || op.Errors[0] != (ErrCount{"S3Unavailable", 7}) {
		t.Errorf("op %+v, want done at 1h10m after 8 attempts", op)
	}
}

// TestRetryGrayGeometric: under a constant gray failure of rate e the
// attempts of a step until its first success are geometric: P(n attempts)
// = e^(n−1)(1−e), drawn with one uniform per run of retries; with two gray
// needs of rates e1 and e2 the failed attempts split between them as e1 :
// (1−e1)e2.
func TestRetryGrayGeometric(t *testing.T) {
	const n = 4000
	e1, e2 := 0.5, 0.4
	cfg := baseConfig()
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 1, Reads: 1}}
	cfg.Outages = []Outage{regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour),
		grayOutage(SvcSTS, e1, 0, 20*sim.Hour), grayOutage(SvcKMS, e2, 0, 20*sim.Hour)}
	cfg.Outages[1].Stream, cfg.Outages[2].Stream = "gray1", "gray2"
	st := step("op", sim.Minute)
	st.Needs = []Need{{Service: SvcSTS, Region: east}, {Service: SvcKMS, Region: east}}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
	r := NewRunner(cfg)
	p := 1 - (1-e1)*(1-e2)
	hist := make([]int, 6)
	var sum, sts, kmsN float64
	for i := 0; i < n; i++ {
		op := r.Trial(7, i, nil).Ops[0]
		if !op.Done {
			t.Fatalf("trial %d: %+v", i, op)
		}
		sum += float64(op.Attempts)
		hist[min(op.Attempts-1, len(hist)-1)]++
		for _, e := range op.Errors {
			switch e.Err {
			case "STSUnavailable":
				sts += float64(e.N)
			case "KMSUnavailable":
				kmsN += float64(e.N)
			default:
				t.Fatalf("error %q", e.Err)
			}
		}
		if failed := op.Attempts - 1; failed != int(countErrs(op.Errors)) {
			t.Fatalf("trial %d: %d failed attempts, errors %+v", i, failed, op.Errors)
		}
	}
	mean := sum / n
	want := 1 / (1 - p)
	sd := math.Sqrt(p) / (1 - p) / math.Sqrt(n)
	if math.Abs(mean-want) > 4*sd {
		t.Errorf("mean attempts %.4f, want %.4f ± %.4f", mean, want, 4*sd)
	}
	// Chi-square over attempts 1..5 and ≥ 6.
	chi := 0.0
	for k, got := range hist {
		pk := math.Pow(p, float64(k)) * (1 - p)
		if k == len(hist)-1 {
			pk = math.Pow(p, float64(k))
		}
		chi += (float64(got) - n*pk) * (float64(got) - n*pk) / (n * pk)
	}
	if chi > 20.5 { // 5 degrees of freedom, p ≈ 0.001
		t.Errorf("attempts histogram %v: chi-square %.1f", hist, chi)
	}
	share := sts / (sts + kmsN)
	wantShare := e1 / p
	sdShare := math.Sqrt(wantShare * (1 - wantShare) / (sts + kmsN))
	if math.Abs(share-wantShare) > 5*sdShare {
		t.Errorf("share of failures at the first need %.4f, want %.4f ± %.4f", share, wantShare, 5*sdShare)
	}
}

func countErrs(errs []ErrCount) int64 {
	n := int64(0)
	for _, e := range errs {
		n += int64(e.N)
	}
	return n
}

// TestRetryGrayRunCut: a run of gray failures ends at a change of state:
// with a gray failure at 1 − 1e-12 that ends at 3h, the step fails at every
// retry until then and succeeds at the first retry instant after, the
// attempts counted exactly whatever the interval.
func TestRetryGrayRunCut(t *testing.T) {
	for _, retry := range []sim.Time{sim.Millisecond, sim.Minute} {
		cfg := baseConfig()
		cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 1, Reads: 1}}
		cfg.Outages = []Outage{regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour), grayOutage(SvcSTS, 1-1e-12, 0, 3*sim.Hour)}
		cfg.Outages[1].Stream = "gray"
		st := step("op", sim.Minute)
		st.Retry = retry
		st.Needs = []Need{{Service: SvcSTS, Region: east}}
		cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
		op := NewRunner(cfg).Trial(1, 0, nil).Ops[0]
		first := sim.Hour + 2*sim.Minute
		k := (3*sim.Hour - first + retry - 1) / retry
		if !op.Done || op.At != first+k*retry || op.Attempts != int(k)+1 || op.Errors[0] != (ErrCount{"STSUnavailable", int(k)}) {
			t.Errorf("retry %v: op %+v, want done at %v after %d attempts", sim.FormatDuration(retry), op, sim.FormatDuration(first+k*retry), k+1)
		}
	}
}

// TestRetryRestoreWaitsForCopy: a restore retried while no backup copy is
// usable succeeds at the first retry instant after the first copy
// completes, with no change of state to wake it; a 6-day outage of the
// source with 1-minute snapshots costs no search per snapshot.
func TestRetryRestoreWaitsForCopy(t *testing.T) {
	cfg := backupRestoreConfig(6*sim.Day, sim.Millisecond, sim.UniformDist(90*sim.Second, 110*sim.Second))
	r := NewRunner(cfg)
	for i := 0; i < 20; i++ {
		res := r.Trial(5, i, nil)
		op := res.Ops[0]
		// The snapshot at 1m is taken before the outage; none is taken
		// during it: the first copy usable is the one at 1m.
		sub := sim.NewSubstreams(sim.TrialSeed(5, i), "backup/t", "copy")
		usable := sim.Time(0)
		for k := int64(1); ; k++ {
			at := sim.Time(k) * sim.Minute
			if at >= res.T0 && at < res.T0+6*sim.Day {
				continue
			}
			done := at + sub.Draw(cfg.Tables[0].Backup.Copy, uint64(k))
			if usable == 0 || done < usable {
				usable = done
			}
			if at > usable {
				break
			}
		}
		start := res.T0 + 2*sim.Minute // detect 1m, step 1m
		want := max(start, start+(usable-start+sim.Millisecond-1)/sim.Millisecond*sim.Millisecond)
		if !op.Done || op.At != want || op.Attempts != int((want-start)/sim.Millisecond)+1 {
			t.Errorf("trial %d: restore %+v, want done at %v (copy usable at %v)", i, op, sim.FormatDuration(want), sim.FormatDuration(usable))
		}
	}
}

// backupRestoreConfig is a table in us-east-1 backed up every minute to
// us-west-2 under an empty start, an outage of us-east-1 of the given
// length starting at start, and a runbook that restores the table
// (retried every retry).
func backupRestoreConfig(outage, retry sim.Time, start sim.Dist) *Config {
	cfg := baseConfig()
	cfg.Start = StartEmpty
	cfg.Horizon = outage + 2*sim.Day
	cfg.Tables = []Table{{Name: "t", Regions: []int{east}, Keys: []int{0}, Writes: 10, Reads: 10,
		Lag: DefaultDynamoDBLag(), ClientKey: -1,
		Backup: &Backup{To: west, Every: sim.Minute, Copy: sim.UniformDist(10*sim.Minute, 30*sim.Minute), Key: 0}}}
	cfg.Outages = []Outage{{Stream: "o", Kind: RegionOutage, Region: east, Services: SvcAll,
		Start: start, Duration: sim.ConstDist(outage), Probability: 1}}
	st := step("restore", sim.Minute)
	st.Op = Op{Kind: OpRestoreBackup, Key: -1, Region: -1, To: -1, Store: StoreRef{StoreTable, 0}}
	st.Retry = retry
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
	return cfg
}
