package sim

import (
	"math"
	"testing"
)

// TestG8_ProfileAWSRegional checks profile(aws-regional) against the G8
// facts: eight events whose whole-event durations are 2.3, 3.8, 4.3, 5.0,
// 6.9, 7.0, 14.5 and 17.1 h, fitted as the lognormal with the log-hours mean
// and (n−1) standard deviation μ = 1.8283, σ = 0.6740: median 6.22 h, p90
// 14.8 h, p99 29.9 h.
func TestG8_ProfileAWSRegional(t *testing.T) {
	p, ok := LookupProfile("aws-regional")
	if !ok {
		t.Fatal("no profile aws-regional")
	}
	want := []float64{2.3, 3.8, 4.3, 5.0, 6.9, 7.0, 14.5, 17.1}
	if len(p.Events) != len(want) {
		t.Fatalf("%d events, want %d", len(p.Events), len(want))
	}
	for i, e := range p.Events {
		if e.Hours != want[i] {
			t.Errorf("event %d (%s): %g h, want %g", i, e.Date, e.Hours, want[i])
		}
		if e.Source == "" || e.Date == "" || e.Window == "" || e.What == "" {
			t.Errorf("event %d lacks a date, window, description or source: %+v", i, e)
		}
	}
	if math.Abs(p.Mu-1.8283) > 5e-5 || math.Abs(p.Sigma-0.6740) > 5e-5 {
		t.Errorf("μ = %.5f, σ = %.5f, want 1.8283, 0.6740", p.Mu, p.Sigma)
	}
	d, ok := ProfileDist("aws-regional")
	if !ok {
		t.Fatal("ProfileDist(aws-regional) not found")
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	h := float64(Hour)
	for _, c := range []struct {
		u, hours, tol float64
	}{{0.5, 6.22, 0.005}, {0.9, 14.8, 0.05}, {0.99, 29.9, 0.05}} {
		if got := d.Quantile(c.u) / h; math.Abs(got-c.hours) > c.tol {
			t.Errorf("p%g = %.3f h, want %.2f h", 100*c.u, got, c.hours)
		}
	}
	// The fit is a lognormal like any other: a literal with the same median
	// and p99 gives the same numbers.
	lit := LogNormalDist(Time(math.Round(d.P1)), Time(math.Round(d.P2)))
	for _, u := range []float64{0.01, 0.5, 0.99} {
		if a, b := d.Quantile(u), lit.Quantile(u); math.Abs(a-b) > 1e-6*b {
			t.Errorf("Quantile(%g) = %g, literal %g", u, a, b)
		}
	}
	if s := d.String(); s != "profile(aws-regional)" {
		t.Errorf("String() = %q", s)
	}
	if d.Profile() != "aws-regional" || lit.Profile() != "" {
		t.Errorf("Profile() = %q, literal %q", d.Profile(), lit.Profile())
	}
	// One uniform per draw, by inverse CDF.
	st := NewStream(1, "outage/x", "outage")
	st2 := NewStream(1, "outage/x", "outage")
	if got, want := st.Draw(d), d.Sample(st2.Uniform()); got != want {
		t.Errorf("Draw = %v, Sample(Uniform) = %v", got, want)
	}
	if _, ok := ProfileDist("aws-regionl"); ok {
		t.Error("unknown profile found")
	}
	if names := ProfileNames(); len(names) != 1 || names[0] != "aws-regional" {
		t.Errorf("ProfileNames() = %v", names)
	}
}

// TestDistTailMean checks TailMean = Mean − LimitedMean where that
// difference is accurate, and the closed forms far in the tail against
// numeric integration of the survival function.
func TestDistTailMean(t *testing.T) {
	for _, tc := range distCases() {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := tc.d.TailMean(0), tc.d.Mean(); !near(got, want, 1e-12, 1e-9) {
				t.Errorf("TailMean(0) = %g, want Mean %g", got, want)
			}
			if got, want := tc.d.TailMean(-5e9), tc.d.Mean()+5e9; !near(got, want, 1e-12, 1e-9) {
				t.Errorf("TailMean(-5s) = %g, want %g", got, want)
			}
			for _, u := range []float64{0.01, 0.5, 0.9, 0.99} {
				y := tc.ref.quantile(u)*1.001 + 1
				got := tc.d.TailMean(y)
				want := tc.d.Mean() - tc.d.LimitedMean(y)
				if !near(got, want, 1e-8, 1e-3*math.Max(1, tc.d.Mean())*1e-6) {
					t.Errorf("TailMean(%g) = %.17g, Mean − LimitedMean = %.17g", y, got, want)
				}
			}
		})
	}
	// Far tails, where Mean − LimitedMean cancels: against the integral of S.
	for _, d := range []Dist{LogNormalDist(30*Second, 30*Minute), LogNormalDist(6*Second, 90*Second), ExponentialDist(20 * Second)} {
		for _, y := range []float64{float64(Hour), 10 * float64(Hour), 5 * float64(Day)} {
			got := d.TailMean(y)
			if d.Survival(y) < 1e-300 {
				continue
			}
			// ∫_y^∞ S over [y, 10⁶ y] (the rest is negligible for these
			// families at these points).
			want := integrate(func(x float64) float64 { return d.Survival(x) }, y, y*1e6,
				[]float64{y * 2, y * 5, y * 20, y * 100, y * 1e3, y * 1e4, y * 1e5})
			if !(got > 0) || math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s: TailMean(%s) = %.10g, integral %.10g", d, FormatDuration(Time(y)), got, want)
			}
		}
	}
}
