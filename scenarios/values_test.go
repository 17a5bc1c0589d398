package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    sim.Time
		wantErr string
	}{
		{in: "500ms", want: 500 * sim.Millisecond},
		{in: "90s", want: 90 * sim.Second},
		{in: "4m", want: 4 * sim.Minute},
		{in: "1h30m", want: 90 * sim.Minute},
		{in: "365d", want: 365 * sim.Day},
		{in: "1d12h", want: 36 * sim.Hour},
		{in: "1.5h", want: 90 * sim.Minute},
		{in: ".5s", want: 500 * sim.Millisecond},
		{in: "  2m  ", want: 2 * sim.Minute},
		{in: "0s", want: 0},
		{in: "+3s", want: 3 * sim.Second},
		{in: "10us", want: 10 * sim.Microsecond},
		{in: "10µs", want: 10 * sim.Microsecond},
		{in: "7ns", want: 7},
		{in: "90", wantErr: `duration "90" has no unit (write "90s" or "90m"`},
		{in: "0", wantErr: `has no unit`},
		{in: "", wantErr: "empty duration"},
		{in: "-5m", wantErr: `duration "-5m" is negative`},
		{in: "5y", wantErr: `unknown unit "y" in duration "5y"`},
		{in: "5 m", wantErr: `unknown unit " m"`},
		{in: "m", wantErr: `invalid duration "m"`},
		{in: "1h30", wantErr: `missing unit in duration "1h30" (units: ns, us, ms, s, m, h, d)`},
		{in: "107000d", wantErr: "too long"},
		{in: "99999999999999999999s", wantErr: "too long"},
		{in: "1.2.3s", wantErr: `missing unit in duration "1.2.3s"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseDuration(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := ParseDuration("x"); err == nil || !strings.HasPrefix(err.Error(), "scenarios: ") {
		t.Errorf("ParseDuration error %v lacks the package prefix", err)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   sim.Time
		want string
	}{
		{0, "0s"},
		{7, "7ns"},
		{1500 * sim.Microsecond, "1.5ms"},
		{90 * sim.Second, "1m30s"},
		{36 * sim.Hour, "1d12h"},
		{sim.Hour + 500*sim.Millisecond, "1h0.5s"},
		{-2 * sim.Minute, "-2m"},
	}
	for _, tt := range tests {
		if got := sim.FormatDuration(tt.in); got != tt.want {
			t.Errorf("sim.FormatDuration(%d) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in >= 0 {
			if back, err := parseDuration(tt.want); err != nil || back != tt.in {
				t.Errorf("parseDuration(%q) = %v, %v; want %d", tt.want, back, err, tt.in)
			}
		}
	}
}

func TestParseDist(t *testing.T) {
	weib := sim.WeibullDist(1.5, 10*sim.Minute)
	tests := []struct {
		in      string
		want    sim.Dist
		wantErr string
	}{
		{in: "90s", want: sim.ConstDist(90 * sim.Second)},
		{in: "uniform(5m, 15m)", want: sim.UniformDist(5*sim.Minute, 15*sim.Minute)},
		{in: "uniform(min=5m,max=15m)", want: sim.UniformDist(5*sim.Minute, 15*sim.Minute)},
		{in: "uniform(max=15m, min=5m)", want: sim.UniformDist(5*sim.Minute, 15*sim.Minute)},
		{in: " Uniform ( 5m , 15m ) ", want: sim.UniformDist(5*sim.Minute, 15*sim.Minute)},
		{in: "uniform(5m, 5m)", want: sim.UniformDist(5*sim.Minute, 5*sim.Minute)},
		{in: "normal(mean=4m, sd=1m)", want: sim.NormalDist(4*sim.Minute, sim.Minute)},
		{in: "normal(sd=1m, mean=4m)", want: sim.NormalDist(4*sim.Minute, sim.Minute)},
		{in: "normal(4m, 1m)", want: sim.NormalDist(4*sim.Minute, sim.Minute)},
		{in: "lognormal(median=8s, p99=2m)", want: sim.LogNormalDist(8*sim.Second, 2*sim.Minute)},
		{in: "lognormal(p99=2m, median=8s)", want: sim.LogNormalDist(8*sim.Second, 2*sim.Minute)},
		{in: "exponential(mean=20s)", want: sim.ExponentialDist(20 * sim.Second)},
		{in: "exponential(20s)", want: sim.ExponentialDist(20 * sim.Second)},
		{in: "triangular(2m, 5m, 20m)", want: sim.TriangularDist(2*sim.Minute, 5*sim.Minute, 20*sim.Minute)},
		{in: "triangular(min=2m, max=20m, mode=5m)", want: sim.TriangularDist(2*sim.Minute, 5*sim.Minute, 20*sim.Minute)},
		{in: "weibull(shape=1.5, scale=10m)", want: weib},
		{in: "weibull(scale=10m, shape=1.5)", want: weib},

		{in: "lognormal(median=8s)", wantErr: `lognormal: expected median= and p99=, as in "lognormal(median=8s, p99=2m)"`},
		{in: "lognormal(median=8s, p95=2m)", wantErr: `lognormal: unknown parameter "p95" (did you mean "p99"?)`},
		{in: "lognormal(median=2m, p99=8s)", wantErr: "lognormal: p99 (8s) is below the median (2m)"},
		{in: "lognormal(median=0s, p99=8s)", wantErr: "median must be positive"},
		{in: "uniform(15m, 5m)", wantErr: "uniform: min (15m) is above max (5m)"},
		{in: "uniform(5m)", wantErr: "uniform: expected min= and max="},
		{in: "uniform(5m, 10m, 15m)", wantErr: "uniform: too many parameters (3)"},
		{in: "uniform(min=5m, 15m)", wantErr: "positional parameter"},
		{in: "uniform(5m, min=15m)", wantErr: "min given twice"},
		{in: "uniform(5m,, 15m)", wantErr: "empty parameter 2"},
		{in: "uniform(5m, 15)", wantErr: `uniform: max: duration "15" has no unit`},
		{in: "uniform(5m, 15m", wantErr: `uniform: missing ")"`},
		{in: "uniform()", wantErr: "uniform: expected min= and max="},
		{in: "unifrom(5m, 15m)", wantErr: `unknown distribution "unifrom" (did you mean "uniform"?)`},
		{in: "gamma(1, 2)", wantErr: `unknown distribution "gamma"; use a duration or one of uniform`},
		{in: "triangular(2m, 30m, 20m)", wantErr: "triangular: needs min <= mode <= max"},
		{in: "exponential(mean=0s)", wantErr: "exponential: mean must be positive"},
		{in: "weibull(shape=0, scale=10m)", wantErr: "weibull: shape must be a positive number"},
		{in: "weibull(shape=x, scale=10m)", wantErr: `weibull: shape must be a number, got "x"`},
		{in: "weibull(shape=1, scale=0s)", wantErr: "weibull: scale must be positive"},
		{in: "empirical(p50=1m, p90=5m, p99=30m)", want: sim.EmpiricalDist(sim.Minute, 5*sim.Minute, 30*sim.Minute)},
		{in: "empirical(p99=30m, p50=1m, p90=5m)", want: sim.EmpiricalDist(sim.Minute, 5*sim.Minute, 30*sim.Minute)},
		{in: "empirical(p50=0s, p90=5m, p99=30m)", wantErr: "empirical: p50 must be positive"},
		{in: "normal(0s, 0s)", wantErr: "normal: mean and sd are both 0"},
		{in: "normal(mean=0s, sd=1m)", want: sim.NormalDist(0, sim.Minute)},
		{in: "empirical(p50=1m, p90=5m)", wantErr: "empirical: expected p50=, p90= and p99="},
		{in: "empirical(p50=10m, p90=5m, p99=30m)", wantErr: "empirical: needs p50 <= p90 <= p99"},
		{in: "uniform(5m, (15m))", wantErr: "unexpected parenthesis"},
		{in: "5m)", wantErr: `missing "("`},
		{in: "5", wantErr: `duration "5" has no unit`},
		{in: "soon", wantErr: `or a distribution like "uniform(5m, 15m)"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDist(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseDist(%q) = %+v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDist(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("parseDist(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			// Dist.String reads back to the same distribution.
			back, err := parseDist(got.String())
			if err != nil || back != got {
				t.Fatalf("parseDist(String of %q = %q) = %+v, %v", tt.in, got.String(), back, err)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr string
	}{
		{in: "20", want: 20},
		{in: "0.5", want: 0.5},
		{in: "20/s", want: 20},
		{in: "20 / sec", want: 20},
		{in: "1200/min", want: 20},
		{in: "1200/minute", want: 20},
		{in: "5000/h", want: 5000.0 / 3600},
		{in: "7200/hour", want: 2},
		{in: "2M/day", want: 2e6 / 86400},
		{in: "2M/d", want: 2e6 / 86400},
		{in: "1.5k/s", want: 1500},
		{in: "3K/s", want: 3000},
		{in: "1G/day", want: 1e9 / 86400},
		{in: "0/s", want: 0},
		{in: "", wantErr: "empty rate"},
		{in: "-5/s", wantErr: `rate "-5" is negative`},
		{in: "20/week", wantErr: `unknown unit "week" in rate "20/week" (use /s, /min, /h or /day)`},
		{in: "fast", wantErr: `invalid rate "fast"`},
		{in: "2m/s", wantErr: `invalid rate "2m"`},
		{in: "NaN/s", wantErr: "invalid rate"},
		{in: "inf", wantErr: "invalid rate"},
		{in: "0x10/s", wantErr: "invalid rate"},
		{in: "1e308G/s", wantErr: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRate(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseRate(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want) {
				t.Fatalf("parseRate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{in: "1024", want: 1024},
		{in: "256KiB", want: 256 << 10},
		{in: "1MiB", want: 1 << 20},
		{in: "2KB", want: 2000},
		{in: "2kb", want: 2000},
		{in: "1 GiB", want: 1 << 30},
		{in: "1GB", want: 1e9},
		{in: "1.5KiB", want: 1536},
		{in: "3B", want: 3},
		{in: "2TiB", want: 2 << 40},
		{in: "", wantErr: "empty size"},
		{in: "-1KiB", wantErr: "negative"},
		{in: "1XB", wantErr: `unknown unit "XB" in size "1XB"`},
		{in: "KiB", wantErr: `invalid size "KiB"`},
		{in: "1..2KiB", wantErr: "invalid size"},
		{in: "99999999PiB", wantErr: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSize(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseSize(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseSize(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"90s", "uniform(5m, 15m)", "normal(mean=4m, sd=1m)", "lognormal(median=8s, p99=2m)",
		"exponential(mean=20s)", "triangular(2m, 5m, 20m)", "weibull(shape=1.5, scale=10m)", "empirical(p50=1m, p90=2m, p99=3m)", "normal(0s, 1s)", "uniform(,)", "(", ")",
		"profile(aws-regional)", "PROFILE( aws-regional )", "profile()", "profile(x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			return
		}
		// A parsed distribution is usable: its quantiles are non-negative
		// numbers, and it formats back to itself.
		for _, u := range []float64{0.001, 0.5, 0.999} {
			if q := d.Quantile(u); math.IsNaN(q) || q < 0 {
				t.Fatalf("ParseDist(%q).Quantile(%v) = %v", s, u, q)
			}
		}
		if back, err := ParseDist(d.String()); err != nil || back.Kind != d.Kind || back.Profile() != d.Profile() {
			t.Fatalf("ParseDist(ParseDist(%q).String() = %q) = %+v, %v", s, d.String(), back, err)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"20", "20/s", "1200/min", "5000/h", "2M/day", "1.5k/s", "/", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err == nil && (r < 0 || math.IsNaN(r) || math.IsInf(r, 0)) {
			t.Fatalf("ParseRate(%q) = %v", s, r)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1024", "256KiB", "1MiB", "2KB", "1.5 GiB", "-1", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseSize(%q) = %v", s, n)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"500ms", "90s", "1h30m", "365d", "1.5h", "0", "-1s", "1µs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		if back, err := ParseDuration(sim.FormatDuration(d)); err != nil || back != d {
			t.Fatalf("ParseDuration(sim.FormatDuration(%d) = %q) = %v, %v", d, sim.FormatDuration(d), back, err)
		}
	})
}
