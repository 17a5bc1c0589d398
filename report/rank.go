package report

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Spearman returns Spearman's rank correlation of x and y: the Pearson
// correlation (gonum stat.Correlation) of their ranks, ties given their
// mean rank (the usual tie correction). +Inf ranks above every finite
// value (an unrecovered trial's RTO). ok is false when the correlation
// does not exist: fewer than 3 pairs, a constant x or y, a NaN, or
// lengths that differ. gonum has no rank correlation: the ranking is the
// hand-written part.
func Spearman(x, y []float64) (rho float64, ok bool) {
	if len(x) != len(y) || len(x) < 3 {
		return 0, false
	}
	rx, okx := midRanks(x)
	ry, oky := midRanks(y)
	if !okx || !oky {
		return 0, false
	}
	rho = stat.Correlation(rx, ry, nil)
	if math.IsNaN(rho) || math.IsInf(rho, 0) {
		return 0, false
	}
	return math.Max(-1, math.Min(1, rho)), true
}

// midRanks returns the 1-based ranks of x, tied values sharing their mean
// rank; false when x holds a NaN.
func midRanks(x []float64) ([]float64, bool) {
	idx := make([]int, len(x))
	for i := range idx {
		if math.IsNaN(x[i]) {
			return nil, false
		}
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = mean
		}
		i = j + 1
	}
	return r, true
}
