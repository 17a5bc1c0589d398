// Package order finds order statistics of a sample without sorting all of
// it: the percentiles of a run's trials (a report asks for a few dozen
// ranks of up to millions of values) by multiple selection, O(n log k) for
// k ranks instead of the O(n log n) of a sort.
//
// Why hand-written: gonum's stat.Quantile wants sorted input (and scans it
// linearly for every percentile); the standard library has no selection.
package order

import "slices"

// Select rearranges x so that, for every rank r in ranks (0-based, each in
// [0, len(x))), x[r] is the value a sort of x would put there; ranks need
// not be sorted nor unique. The values must not be NaN.
func Select(x []float64, ranks ...int) {
	rs := slices.Clone(ranks)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	multiSelect(x, 0, rs, 2*bitLen(len(x))+8)
}

// multiSelect places the ranks rs (sorted, relative to the whole of x,
// offset by lo) in x, a sub-slice starting at index lo of the original.
func multiSelect(x []float64, lo int, rs []int, depth int) {
	for len(rs) > 0 && len(x) > 1 {
		if len(x) <= 32 || depth == 0 {
			slices.Sort(x)
			return
		}
		depth--
		k := partition(x)
		// x[:k] ≤ every value of x[k:]
		a := lowerBound(rs, lo+k)
		if a > len(rs)/2 {
			multiSelect(x[k:], lo+k, rs[a:], depth)
			x, rs = x[:k], rs[:a]
			continue
		}
		multiSelect(x[:k], lo, rs[:a], depth)
		x, lo, rs = x[k:], lo+k, rs[a:]
	}
}

// partition splits x (len ≥ 3) around a median-of-three pivot, Hoare's
// way: it returns k in [1, len(x)) with every value of x[:k] at most every
// value of x[k:].
func partition(x []float64) int {
	n := len(x)
	m := n / 2
	if x[m] < x[0] {
		x[m], x[0] = x[0], x[m]
	}
	if x[n-1] < x[m] {
		x[n-1], x[m] = x[m], x[n-1]
		if x[m] < x[0] {
			x[m], x[0] = x[0], x[m]
		}
	}
	p := x[m]
	i, j := -1, n
	for {
		for i++; x[i] < p; i++ {
		}
		for j--; x[j] > p; j-- {
		}
		if i >= j {
			return j + 1
		}
		x[i], x[j] = x[j], x[i]
	}
}

func lowerBound(rs []int, v int) int {
	i, _ := slices.BinarySearch(rs, v)
	return i
}

func bitLen(n int) int {
	b := 0
	for n > 0 {
		b++
		n >>= 1
	}
	return b
}

// Rank returns the 0-based index of the p-quantile of n sorted values as
// gonum's stat.Quantile(p, stat.Empirical, ...) takes it: the first index i
// with i+1 ≥ p·n.
func Rank(p float64, n int) int {
	fidx := p * float64(n)
	for i := 0; i < n; i++ {
		if float64(i+1) >= fidx {
			return i
		}
		if i == 0 {
			// jump near the answer, then step (the comparison is
			// gonum's, in float64)
			k := int(fidx) - 2
			if k > 0 {
				i = k - 1
			}
		}
	}
	return n - 1
}
