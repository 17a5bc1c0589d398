package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/sim"
)

// TestControlPlanesCompare: in the bundled control-planes scenarios, the
// runbook that edits a Route 53 record waits for Route 53's control plane
// in us-east-1 (docs/aws-behaviour.md G1) and never finishes before the
// region is back: the service comes back in us-east-1, after the outage,
// while the health-check and ARC runbooks move traffic in minutes. And
// `drsim compare` runs them side by side.
func TestControlPlanesCompare(t *testing.T) {
	const trials = 300
	load := func(name string) *simulation {
		cfg, err := scenarios.LoadBundled(name)
		if err != nil {
			t.Fatal(err)
		}
		return simulate(cfg, cfg.Seed, trials, 2)
	}
	r53 := load("control-planes-route53")
	full := model.RunTrials(r53.cfg, r53.seed, r53.trials.N(), 2, nil) // the run keeps compact records
	for i := range full {
		r := &full[i]
		if !r.Incident || !r.Recovered {
			continue
		}
		if r.FailoverAt >= 0 || len(r.RecoveredIn) != 1 || r.RecoveredIn[0] != 0 {
			t.Fatalf("route53 trial %d: failover at %v, recovered in %v: the record edit finished during the outage", i, r.FailoverAt, r.RecoveredIn)
		}
		if e := r.Ops[len(r.Ops)-1].Errors; len(e) != 1 || e[0].Err != "Route53ControlPlaneUnavailable" {
			t.Fatalf("route53 trial %d: errors %+v", i, e)
		}
	}
	p50 := func(s *simulation) float64 { return *s.report.Metrics.RTOSeconds.P50 }
	if p := p50(r53); p < 2*3600 {
		t.Errorf("route53: RTO p50 %.0fs, want the outage's length (hours)", p)
	}
	for _, name := range []string{"control-planes-health-check", "control-planes-arc"} {
		s := load(name)
		if p90 := *s.report.Metrics.RTOSeconds.P90; p90 > 30*60 {
			t.Errorf("%s: RTO p90 %.0fs, want minutes", name, p90)
		}
	}
	var out, errOut bytes.Buffer
	if err := run([]string{"compare", "control-planes-route53", "control-planes-health-check", "control-planes-arc", "--trials", "200", "--quiet"}, &out, &errOut); err != nil {
		t.Fatalf("compare: %v\n%s", err, errOut.String())
	}
	for _, w := range []string{"control-planes-route53", "control-planes-health-check", "control-planes-arc", "Paired differences"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("compare output lacks %q:\n%s", w, out.String())
		}
	}
}

// TestSnowyNoRTCInvariance: `extends = "snowy"` with the alerts rule set to
// rtc = false gives the same RPO distribution with the outage at 2 h and at
// 200 h (two-sample Kolmogorov–Smirnov, independent seeds): the steady
// start. With start = "empty" it does not.
func TestSnowyNoRTCInvariance(t *testing.T) {
	dir := t.TempDir()
	file := func(name, start, at, horizon string) string {
		src := "extends = \"snowy\"\nname = \"" + name + "\"\nhorizon = \"" + horizon + "\"\n" + start +
			"\n[[buckets.alerts.replication]]\nto = \"us-west-2\"\nkey = \"alerts\"\nrtc = false\n" +
			"\n[[outages]]\nname = \"us-east-1 regional outage\"\nregion = \"us-east-1\"\nstart = \"" + at + "\"\nduration = \"profile(aws-regional)\"\n"
		p := filepath.Join(dir, name+".toml")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rpos := func(path string, seed uint64) []float64 {
		cfg, err := scenarios.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, r := range model.RunTrials(cfg, seed, 1000, 2, nil) {
			if r.Recovered {
				out = append(out, float64(r.RPO)/float64(sim.Second))
			}
		}
		return out
	}
	a := rpos(file("at2h", "", "2h", "2d"), 1)
	b := rpos(file("at200h", "", "200h", "10d"), 2)
	D, crit := ks2(a, b)
	t.Logf("steady: RPO median %.0fs at 2h, %.0fs at 200h; KS D=%.4f (critical %.4f at α=0.001)", median(a), median(b), D, crit)
	if D > crit {
		t.Errorf("RPO depends on the outage's position: D=%.4f > %.4f", D, crit)
	}
	ea := rpos(file("empty2h", `start = "empty"`, "2h", "2d"), 1)
	eb := rpos(file("empty200h", `start = "empty"`, "200h", "10d"), 2)
	De, crite := ks2(ea, eb)
	t.Logf("empty: RPO median %.0fs at 2h, %.0fs at 200h; KS D=%.4f", median(ea), median(eb), De)
	if De <= crite {
		t.Errorf("start = \"empty\": RPO at 2h and 200h do not differ (D=%.4f)", De)
	}
}

// ks2 returns the two-sample Kolmogorov–Smirnov statistic of a and b and
// its critical value at α = 0.001 (c(α) = 1.949).
func ks2(a, b []float64) (D, crit float64) {
	slices.Sort(a)
	slices.Sort(b)
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x := math.Min(a[i], b[j])
		for i < len(a) && a[i] <= x {
			i++
		}
		for j < len(b) && b[j] <= x {
			j++
		}
		D = math.Max(D, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	na, nb := float64(len(a)), float64(len(b))
	return D, 1.949 * math.Sqrt((na+nb)/(na*nb))
}

func median(x []float64) float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	return y[len(y)/2]
}
