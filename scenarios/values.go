package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/drsim/drsim/sim"
)

// The value mini-languages of scenario format v1. Each parser has an exported
// form, whose errors are prefixed "scenarios: ", and an unexported one used
// while decoding, whose messages go into an Error.

// ParseDuration parses a duration in Go syntax extended with days: "500ms",
// "90s", "1h30m", "365d", "1.5h". A bare number ("0" included) is not a
// duration, and negative durations are refused.
func ParseDuration(s string) (sim.Time, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("scenarios: %w", err)
	}
	return d, nil
}

// ParseDist parses a duration distribution: a constant duration or one of
// uniform(min, max), normal(mean=, sd=), lognormal(median=, p99=),
// exponential(mean=), triangular(min, mode, max), weibull(shape=, scale=),
// empirical(p50=, p90=, p99=), or a named outage profile such as
// profile(aws-regional) (sim.Profiles lists them). Parameters may be given by name, in any order,
// or by position in the order shown.
func ParseDist(s string) (sim.Dist, error) {
	d, err := parseDist(s)
	if err != nil {
		return sim.Dist{}, fmt.Errorf("scenarios: %w", err)
	}
	return d, nil
}

// ParseRate parses a rate in events per second: a number ("20", "0.5"), or a
// number with an optional k, M or G multiplier and a unit: "20/s",
// "1200/min", "5000/h", "2M/day".
func ParseRate(s string) (float64, error) {
	r, err := parseRate(s)
	if err != nil {
		return 0, fmt.Errorf("scenarios: %w", err)
	}
	return r, nil
}

// ParseSize parses a size in bytes: a plain integer, or a number with an SI
// (B, KB, MB, GB, TB, PB: powers of 1000) or IEC (KiB, MiB, GiB, TiB, PiB:
// powers of 1024) unit, as in "256KiB", "1MiB", "2KB", "1.5 GiB".
func ParseSize(s string) (int64, error) {
	n, err := parseSize(s)
	if err != nil {
		return 0, fmt.Errorf("scenarios: %w", err)
	}
	return n, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

const durationHint = "units: ns, us, ms, s, m, h, d"

// parseDuration is sim.ParseDuration with the scenario rules (no negative
// durations) and messages that say how to fix the value.
func parseDuration(s string) (sim.Time, error) {
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return 0, errors.New(`empty duration (write a duration like "90s", "15m" or "1h30m")`)
	case t[0] == '-':
		return 0, fmt.Errorf("duration %q is negative", s)
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return 0, fmt.Errorf("duration %q has no unit (write %q or %q; %s)", s, t+"s", t+"m", durationHint)
	}
	d, err := sim.ParseDuration(t)
	if err == nil {
		return d, nil
	}
	if errors.Is(err, sim.ErrDurationRange) {
		return 0, fmt.Errorf("duration %q is too long", s)
	}
	msg := strings.TrimPrefix(err.Error(), "sim: ")
	switch {
	case strings.HasPrefix(msg, "missing unit"), strings.HasPrefix(msg, "unknown unit"):
		return 0, fmt.Errorf("%s (%s)", msg, durationHint)
	}
	return 0, fmt.Errorf("%s (write a duration like \"90s\", \"15m\" or \"1h30m\")", msg)
}

// A distribution family: its parameters (by position) and how to build it.
type family struct {
	name    string
	params  []string
	example string
	// number[i] marks a plain number parameter (else a duration).
	number []bool
	build  func(v []float64) (sim.Dist, error)
}

var families = []family{
	{
		name: "uniform", params: []string{"min", "max"}, example: "uniform(5m, 15m)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] > v[1] {
				return sim.Dist{}, fmt.Errorf("uniform: min (%s) is above max (%s)", fmtDur(v[0]), fmtDur(v[1]))
			}
			return sim.UniformDist(sim.Time(v[0]), sim.Time(v[1])), nil
		},
	},
	{
		name: "normal", params: []string{"mean", "sd"}, example: "normal(mean=4m, sd=1m)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] == 0 && v[1] == 0 {
				return sim.Dist{}, errors.New(`normal: mean and sd are both 0 (write "0s" for no time at all)`)
			}
			return sim.NormalDist(sim.Time(v[0]), sim.Time(v[1])), nil
		},
	},
	{
		name: "lognormal", params: []string{"median", "p99"}, example: "lognormal(median=8s, p99=2m)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] <= 0 {
				return sim.Dist{}, errors.New("lognormal: median must be positive")
			}
			if v[1] < v[0] {
				return sim.Dist{}, fmt.Errorf("lognormal: p99 (%s) is below the median (%s)", fmtDur(v[1]), fmtDur(v[0]))
			}
			return sim.LogNormalDist(sim.Time(v[0]), sim.Time(v[1])), nil
		},
	},
	{
		name: "exponential", params: []string{"mean"}, example: "exponential(mean=20s)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] <= 0 {
				return sim.Dist{}, errors.New("exponential: mean must be positive")
			}
			return sim.ExponentialDist(sim.Time(v[0])), nil
		},
	},
	{
		name: "triangular", params: []string{"min", "mode", "max"}, example: "triangular(2m, 5m, 20m)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] > v[1] || v[1] > v[2] {
				return sim.Dist{}, fmt.Errorf("triangular: needs min <= mode <= max, got min %s, mode %s, max %s", fmtDur(v[0]), fmtDur(v[1]), fmtDur(v[2]))
			}
			return sim.TriangularDist(sim.Time(v[0]), sim.Time(v[1]), sim.Time(v[2])), nil
		},
	},
	{
		name: "weibull", params: []string{"shape", "scale"}, example: "weibull(shape=1.5, scale=10m)",
		number: []bool{true, false},
		build: func(v []float64) (sim.Dist, error) {
			if !(v[0] > 0) || v[0] > 1e6 {
				return sim.Dist{}, errors.New("weibull: shape must be a positive number")
			}
			if v[1] <= 0 {
				return sim.Dist{}, errors.New("weibull: scale must be positive")
			}
			return sim.WeibullDist(v[0], sim.Time(v[1])), nil
		},
	},
	{
		name: "empirical", params: []string{"p50", "p90", "p99"}, example: "empirical(p50=1m, p90=5m, p99=30m)",
		build: func(v []float64) (sim.Dist, error) {
			if v[0] > v[1] || v[1] > v[2] {
				return sim.Dist{}, fmt.Errorf("empirical: needs p50 <= p90 <= p99, got p50 %s, p90 %s, p99 %s", fmtDur(v[0]), fmtDur(v[1]), fmtDur(v[2]))
			}
			if v[0] <= 0 {
				return sim.Dist{}, errors.New("empirical: p50 must be positive")
			}
			return sim.EmpiricalDist(sim.Time(v[0]), sim.Time(v[1]), sim.Time(v[2])), nil
		},
	},
}

func familyNames() []string {
	names := make([]string, len(families), len(families)+1)
	for i, f := range families {
		names[i] = f.name
	}
	return append(names, "profile")
}

// fmtDur formats nanoseconds for messages, in the scenario syntax.
func fmtDur(ns float64) string { return sim.FormatDuration(sim.Time(ns)) }

func parseDist(s string) (sim.Dist, error) {
	t := strings.TrimSpace(s)
	open := strings.IndexByte(t, '(')
	if open < 0 {
		if strings.HasSuffix(t, ")") {
			return sim.Dist{}, fmt.Errorf("distribution %q is missing \"(\"", s)
		}
		d, err := parseDuration(t)
		switch {
		case err != nil && strings.HasPrefix(t, "-"):
			return sim.Dist{}, err // a negative duration: no distribution would help
		case err != nil:
			return sim.Dist{}, fmt.Errorf("%w, or a distribution like \"uniform(5m, 15m)\"", err)
		}
		return sim.ConstDist(d), nil
	}
	name := strings.ToLower(strings.TrimSpace(t[:open]))
	if name == "profile" {
		return parseProfile(s, t[open:])
	}
	var fam *family
	for i := range families {
		if families[i].name == name {
			fam = &families[i]
		}
	}
	if fam == nil {
		return sim.Dist{}, fmt.Errorf("unknown distribution %q%s; use a duration or one of %s", name, suggest(name, familyNames()), strings.Join(familyNames(), ", "))
	}
	if !strings.HasSuffix(t, ")") {
		return sim.Dist{}, fmt.Errorf("%s: missing \")\" at the end, as in %q", name, fam.example)
	}
	body := t[open+1 : len(t)-1]
	if strings.ContainsAny(body, "()") {
		return sim.Dist{}, fmt.Errorf("%s: unexpected parenthesis in %q", name, s)
	}
	vals := make([]float64, len(fam.params))
	set := make([]bool, len(fam.params))
	named := false
	args := strings.Split(body, ",")
	if strings.TrimSpace(body) == "" {
		args = nil
	}
	for i, a := range args {
		a = strings.TrimSpace(a)
		if a == "" {
			return sim.Dist{}, fmt.Errorf("%s: empty parameter %d in %q", name, i+1, s)
		}
		k := -1
		val := a
		if eq := strings.IndexByte(a, '='); eq >= 0 {
			named = true
			pn := strings.ToLower(strings.TrimSpace(a[:eq]))
			val = strings.TrimSpace(a[eq+1:])
			for j, p := range fam.params {
				if p == pn {
					k = j
				}
			}
			if k < 0 {
				return sim.Dist{}, fmt.Errorf("%s: unknown parameter %q%s; %s", name, pn, suggest(pn, fam.params), expectParams(fam))
			}
		} else {
			if named {
				return sim.Dist{}, fmt.Errorf("%s: positional parameter %q after a named one; %s", name, a, expectParams(fam))
			}
			if i >= len(fam.params) {
				return sim.Dist{}, fmt.Errorf("%s: too many parameters (%d); %s", name, len(args), expectParams(fam))
			}
			k = i
		}
		if set[k] {
			return sim.Dist{}, fmt.Errorf("%s: %s given twice", name, fam.params[k])
		}
		set[k] = true
		if fam.number != nil && fam.number[k] {
			f, err := strconv.ParseFloat(val, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return sim.Dist{}, fmt.Errorf("%s: %s must be a number, got %q", name, fam.params[k], val)
			}
			vals[k] = f
			continue
		}
		d, err := parseDuration(val)
		if err != nil {
			return sim.Dist{}, fmt.Errorf("%s: %s: %w", name, fam.params[k], err)
		}
		vals[k] = float64(d)
	}
	for _, ok := range set {
		if !ok {
			return sim.Dist{}, fmt.Errorf("%s: %s", name, expectParams(fam))
		}
	}
	d, err := fam.build(vals)
	if err != nil {
		return sim.Dist{}, err
	}
	// The checks above give the messages; sim's own validation is the
	// final word on what it can draw from.
	if err := d.Validate(); err != nil {
		return sim.Dist{}, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "sim: "))
	}
	return d, nil
}

func expectParams(f *family) string {
	ps := make([]string, len(f.params))
	for i, p := range f.params {
		ps[i] = p + "="
	}
	var list string
	switch len(ps) {
	case 1:
		list = ps[0]
	case 2:
		list = ps[0] + " and " + ps[1]
	default:
		list = strings.Join(ps[:len(ps)-1], ", ") + " and " + ps[len(ps)-1]
	}
	return fmt.Sprintf("expected %s, as in %q", list, f.example)
}

var rateUnits = []struct {
	names []string
	per   float64 // seconds
}{
	{[]string{"s", "sec", "second"}, 1},
	{[]string{"min", "minute"}, 60},
	{[]string{"h", "hr", "hour"}, 3600},
	{[]string{"d", "day"}, 86400},
}

// parseNumber parses a finite non-negative number with an optional k, M or G
// multiplier.
func parseNumber(s string, what string) (float64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult, t = 1e3, t[:n-1]
		case 'M':
			mult, t = 1e6, t[:n-1]
		case 'G':
			mult, t = 1e9, t[:n-1]
		}
	}
	t = strings.TrimSpace(t)
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXpP_") {
		return 0, fmt.Errorf("invalid %s %q", what, s)
	}
	f *= mult
	if f < 0 {
		return 0, fmt.Errorf("%s %q is negative", what, s)
	}
	if math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s %q is too large", what, s)
	}
	return f, nil
}

func parseRate(s string) (float64, error) {
	const hint = `write a number per second or a rate like "20/s", "1200/min", "5000/h", "2M/day"`
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty rate (%s)", hint)
	}
	num, unit, hasUnit := strings.Cut(t, "/")
	n, err := parseNumber(num, "rate")
	if err != nil {
		return 0, fmt.Errorf("%w (%s)", err, hint)
	}
	if !hasUnit {
		return n, nil
	}
	u := strings.ToLower(strings.TrimSpace(unit))
	for _, ru := range rateUnits {
		for _, name := range ru.names {
			if u == name || u == name+"s" && len(name) > 1 {
				return n / ru.per, nil
			}
		}
	}
	return 0, fmt.Errorf("unknown unit %q in rate %q (use /s, /min, /h or /day)", strings.TrimSpace(unit), s)
}

var sizeUnits = []struct {
	name string
	mult float64
}{
	{"b", 1},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"pb", 1e15},
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"pib", 1 << 50},
}

func parseSize(s string) (int64, error) {
	const hint = `write bytes or a size like "256KiB", "1MiB", "2KB"`
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (isDigit(t[i]) || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if num == "" {
		if t == "" {
			return 0, fmt.Errorf("empty size (%s)", hint)
		}
		if t[0] == '-' {
			return 0, fmt.Errorf("size %q is negative", s)
		}
		return 0, fmt.Errorf("invalid size %q (%s)", s, hint)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid size %q (%s)", s, hint)
	}
	mult := 0.0
	if unit == "" {
		mult = 1
	}
	for _, su := range sizeUnits {
		if su.name == unit {
			mult = su.mult
		}
	}
	if mult == 0 {
		return 0, fmt.Errorf("unknown unit %q in size %q (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)", strings.TrimSpace(t[i:]), s)
	}
	v := math.Round(f * mult)
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return int64(v), nil
}

// parseProfile parses the "(NAME)" of profile(NAME): a named outage profile
// (sim.ProfileDist); an unknown name is an error with a did-you-mean.
func parseProfile(s, rest string) (sim.Dist, error) {
	if !strings.HasSuffix(rest, ")") {
		return sim.Dist{}, fmt.Errorf("profile: missing \")\" at the end, as in \"profile(aws-regional)\"")
	}
	n := strings.TrimSpace(rest[1 : len(rest)-1])
	if n == "" {
		return sim.Dist{}, fmt.Errorf("profile: no name in %q; profiles: %s", s, strings.Join(sim.ProfileNames(), ", "))
	}
	d, ok := sim.ProfileDist(n)
	if !ok {
		return sim.Dist{}, fmt.Errorf("unknown profile %q%s", n, suggestOrList(n, "profiles", sim.ProfileNames()))
	}
	return d, nil
}
