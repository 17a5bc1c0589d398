package report

import (
	"math"
	"testing"
)

func TestSpearman(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		x, y []float64
		want float64
		ok   bool
	}{
		{"monotone, not linear", []float64{1, 2, 3, 4, 5}, []float64{1, 4, 9, 16, 1000}, 1, true},
		{"reversed", []float64{1, 2, 3, 4}, []float64{9, 7, 5, 1}, -1, true},
		// +Inf (an unrecovered trial) ranks highest.
		{"infinity ranks highest", []float64{0.1, 0.2, 0.3, 0.9}, []float64{10, 20, 30, inf}, 1, true},
		// Ties take their mean rank: ranks x 1,2,3,4 and y 1.5,1.5,3,4;
		// Pearson of those is 0.9486832980505138 (closed form).
		{"ties", []float64{1, 2, 3, 4}, []float64{5, 5, 6, 7}, 3 / math.Sqrt(10), true},
		// The textbook example: d² sums to 4 over n = 5, rho = 1 − 6·4/(5·24) = 0.8.
		{"no ties", []float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}, 0.8, true},
		{"constant y", []float64{1, 2, 3}, []float64{4, 4, 4}, 0, false},
		{"too few", []float64{1, 2}, []float64{1, 2}, 0, false},
		{"NaN", []float64{1, 2, math.NaN()}, []float64{1, 2, 3}, 0, false},
		{"lengths", []float64{1, 2, 3}, []float64{1, 2}, 0, false},
	}
	for _, tt := range tests {
		got, ok := Spearman(tt.x, tt.y)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Spearman = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
