package human

import (
	"math"
	"testing"
)

func TestHumanFormats(t *testing.T) {
	durs := []struct {
		s    float64
		want string
	}{
		{0, "0s"}, {0.35, "350ms"}, {0.9996, "1.0s"}, {4.24, "4.2s"}, {9.96, "10s"}, {45.4, "45s"}, {59.6, "1m00s"},
		{245, "4m05s"}, {3599.6, "1h00m"}, {28860, "8h01m"}, {86399, "1d00h"}, {183600, "2d03h"}, {-90, "-1m30s"},
		{99 * 86400, "99d00h"}, {100 * 86400, "100d"}, {36500 * 86400, "36,500d"}, {math.Inf(1), "∞"}, {math.NaN(), "?"},
	}
	for _, d := range durs {
		if got := Dur(d.s); got != d.want {
			t.Errorf("Dur(%v) = %q, want %q", d.s, got, d.want)
		}
	}
	nums := []struct {
		x    float64
		want string
	}{{0, "0"}, {0.5, "0.5"}, {12.345, "12.35"}, {1234.6, "1,235"}, {-1234567, "-1,234,567"}, {1e-5, "1e-05"}, {-3.5, "-3.5"}}
	for _, n := range nums {
		if got := Num(n.x); got != n.want {
			t.Errorf("Num(%v) = %q, want %q", n.x, got, n.want)
		}
	}
	usd := []struct {
		x    float64
		want string
	}{{0, "$0.00"}, {1234567.891, "$1,234,567.89"}, {-12.5, "-$12.50"}, {999.999, "$1,000.00"},
		{9_999_999_999_999.99, "$9,999,999,999,999.99"}, {5.212932839999999574016e21, "$5.213e+21"}, {-2e15, "-$2e+15"}}
	for _, u := range usd {
		if got := USD(u.x); got != u.want {
			t.Errorf("USD(%v) = %q, want %q", u.x, got, u.want)
		}
	}
}

func TestDurShort(t *testing.T) {
	tests := []struct {
		s    float64
		want string
	}{
		{0, "0s"},
		{0.25, "250ms"},
		{4.24, "4.2s"},
		{9.96, "10s"},
		{45, "45s"},
		{59.6, "1m"},
		{750, "12m30s"},
		{3599.8, "1h"},
		{3 * 3600, "3h"},
		{3*3600 + 5*60, "3h05m"},
		{2*86400 + 4*3600, "2d04h"},
		{36500 * 86400, "36,500d"},
		{-90, "-1m30s"},
		{math.Inf(1), "∞"},
		{math.NaN(), "?"},
	}
	for _, tt := range tests {
		if got := DurShort(tt.s); got != tt.want {
			t.Errorf("DurShort(%v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestIntAndPlural(t *testing.T) {
	if got := Int(9591); got != "9,591" {
		t.Errorf("Int(9591) = %q", got)
	}
	if got := Int(-1234567); got != "-1,234,567" {
		t.Errorf("Int(-1234567) = %q", got)
	}
	if Plural(1, "trial", "trials") != "trial" || Plural(2, "trial", "trials") != "trials" {
		t.Error("Plural")
	}
}

func TestPctApart(t *testing.T) {
	for _, tt := range []struct {
		a, b   float64
		wa, wb string
	}{
		{0.9495, 0.95, "94.95%", "95.00%"},
		{0.9, 0.95, "90.0%", "95.0%"},
		{0.95, 0.95, "95.0%", "95.0%"},
		{0.949999999, 0.95, "95.000000%", "95.000000%"},
	} {
		if a, b := PctApart(tt.a, tt.b); a != tt.wa || b != tt.wb {
			t.Errorf("PctApart(%v, %v) = %s, %s; want %s, %s", tt.a, tt.b, a, b, tt.wa, tt.wb)
		}
	}
}
