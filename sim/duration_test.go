package sim

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    Time
		wantErr string // substring of the error; "" for success
	}{
		{"500ms", 500 * Millisecond, ""},
		{"90s", 90 * Second, ""},
		{"4m", 4 * Minute, ""},
		{"1h30m", 90 * Minute, ""},
		{"365d", 365 * Day, ""},
		{"1d12h", 36 * Hour, ""},
		{"0s", 0, ""},
		{"0d", 0, ""},
		{"1.5h", 90 * Minute, ""},
		{".5s", 500 * Millisecond, ""},
		{"1.s", Second, ""},
		{"2.5d", 60 * Hour, ""},
		{"1.000000001s", Second + 1, ""},
		{"1.0000000019s", Second + 1, ""}, // truncated below a nanosecond
		{"0.1ns", 0, ""},
		{"1us", Microsecond, ""},
		{"1µs", Microsecond, ""},
		{"1μs", Microsecond, ""},
		{"3ns", 3, ""},
		{"1s1h", Hour + Second, ""}, // any order, as in Go
		{"1m30.5s", 90*Second + 500*Millisecond, ""},
		{"-5s", -5 * Second, ""},
		{"+5s", 5 * Second, ""},
		{"106751d23h47m16.854775807s", math.MaxInt64, ""},
		{"-106751d23h47m16.854775808s", math.MinInt64, ""},
		{"9223372036854775807ns", math.MaxInt64, ""},
		{"0.000000000000000000000000001d", 0, ""},
		{"", 0, "invalid duration"},
		{"-", 0, "invalid duration"},
		{"0", 0, "missing unit"},
		{"90", 0, "missing unit"},
		{"1h30", 0, "missing unit"},
		{".s", 0, "invalid duration"},
		{"s", 0, "invalid duration"},
		{"5 s", 0, "unknown unit"},
		{" 5s", 0, "invalid duration"},
		{"5sec", 0, "unknown unit"},
		{"5y", 0, "unknown unit"},
		{"5w", 0, "unknown unit"},
		{"5S", 0, "unknown unit"},
		{"1e3s", 0, "unknown unit"},
		{"--5s", 0, "invalid duration"},
		{"5s-", 0, "unknown unit"},
		{"106752d", 0, "out of range"},
		{"106751d23h47m16.854775808s", 0, "out of range"},
		{"-106751d23h47m16.854775809s", 0, "out of range"},
		{"9223372036854775808ns", 0, "out of range"},
		{"99999999999999999999999s", 0, "out of range"},
		{"18446744073709551616ns", 0, "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseDuration(%q) = %d, want an error containing %q", tc.in, got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "sim: ") {
					t.Fatalf("ParseDuration(%q) error %q, want prefix \"sim: \" and %q", tc.in, err, tc.wantErr)
				}
				if tc.wantErr == "out of range" && !errors.Is(err, ErrDurationRange) {
					t.Fatalf("ParseDuration(%q) error %v does not wrap ErrDurationRange", tc.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDuration(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("ParseDuration(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   Time
		want string
	}{
		{0, "0s"},
		{1, "1ns"},
		{999, "999ns"},
		{Microsecond, "1µs"},
		{1500, "1.5µs"},
		{90 * Millisecond, "90ms"},
		{1500 * Microsecond, "1.5ms"},
		{999999999, "999.999999ms"},
		{Second, "1s"},
		{6 * Second, "6s"},
		{90 * Second, "1m30s"},
		{Minute + 500*Millisecond, "1m0.5s"},
		{Minute + 1, "1m0.000000001s"},
		{2 * Hour, "2h"},
		{3*Day + 4*Hour, "3d4h"},
		{365 * Day, "365d"},
		{Day + Second, "1d1s"},
		{-90 * Second, "-1m30s"},
		{-1, "-1ns"},
		{math.MaxInt64, "106751d23h47m16.854775807s"},
		{math.MinInt64, "-106751d23h47m16.854775808s"},
	}
	for _, tc := range tests {
		got := FormatDuration(tc.in)
		if got != tc.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", tc.in, got, tc.want)
		}
		back, err := ParseDuration(got)
		if err != nil || back != tc.in {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", got, back, err, tc.in)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"500ms", "90s", "1h30m", "365d", "1d12h", "-1.5h", "0", "1.000000001s", "106751d23h47m16.854775807s", "1µs", ".5s", "5 s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		text := FormatDuration(d)
		back, err := ParseDuration(text)
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %d; FormatDuration gives %q, which parses to %d, %v", s, d, text, back, err)
		}
	})
}

func FuzzFormatDuration(f *testing.F) {
	for _, d := range []int64{0, 1, -1, 1500, 90e9, math.MaxInt64, math.MinInt64} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d int64) {
		text := FormatDuration(d)
		back, err := ParseDuration(text)
		if err != nil || back != d {
			t.Fatalf("FormatDuration(%d) = %q, which parses to %d, %v", d, text, back, err)
		}
	})
}
