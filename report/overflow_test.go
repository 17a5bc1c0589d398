package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
)

// retryingTrials returns n trials whose promote-key step made huge numbers
// of attempts (a century retried every millisecond), all failed with
// KMSUnavailable.
func retryingTrials(cfg *model.Config, n int, seed uint64) []model.TrialResult {
	res := fixture.Synthetic(cfg, n, seed)
	for k := range res {
		o := &res[k].Ops[2]
		o.Started = true
		o.Attempts = 3_100_000_000_000_000_000 // 3.1e18: each fits an int64, two do not
		o.Errors = []model.ErrCount{{Err: "KMSUnavailable", N: o.Attempts - 1}}
	}
	return res
}

// TestAttemptCountsDoNotOverflow: attempts and failed attempts summed over
// trials never wrap negative, in a run or in a merge of partials: the mean
// stays exact, a count beyond math.MaxInt64 is shown as that, and the
// report warns.
func TestAttemptCountsDoNotOverflow(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := retryingTrials(cfg, 6, 3)
	whole := NewTrials(cfg, 3, 0)
	whole.Add(res...)
	// three partials of two trials each: each partial's sum fits an int64,
	// the merged one does not
	var parts []*Partial
	for i := 0; i < 3; i++ {
		tr := NewTrials(cfg, 3, 2*i)
		tr.Add(res[2*i : 2*i+2]...)
		var b bytes.Buffer
		if err := WritePartial(&b, tr, PartialHeader{Digest: Digest([]byte("x")), Trials: 6, ResolvedTOML: "x"}); err != nil {
			t.Fatal(err)
		}
		p, err := ReadPartial(&b)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	merged, err := Merge(cfg, parts)
	if err != nil {
		t.Fatal(err)
	}
	for name, tr := range map[string]*Trials{"run": whole, "merge": merged} {
		r := BuildTrials(tr, nil, nil)
		o := r.Operations[2]
		if o.AttemptsMean != 3.1e18 {
			t.Errorf("%s: attempts_mean %g, want 3.1e18", name, o.AttemptsMean)
		}
		if n := o.Errors["KMSUnavailable"]; n != math.MaxInt64 {
			t.Errorf("%s: KMSUnavailable count %d, want saturated %d", name, n, int64(math.MaxInt64))
		}
		if !strings.Contains(strings.Join(r.Warnings, "\n"), "exceeds 9,223,372,036,854,775,807") {
			t.Errorf("%s: no warning of the capped count: %q", name, r.Warnings)
		}
		var js bytes.Buffer
		if err := WriteJSON(&js, r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(js.String(), ": -") {
			t.Errorf("%s: the JSON report has a negative number", name)
		}
	}
}
