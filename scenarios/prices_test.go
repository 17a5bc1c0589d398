package scenarios_test

import (
	"reflect"
	"testing"

	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/scenarios"
)

// The [prices] ids accepted by scenarios are exactly report's price book.
func TestPriceIDsMatchReport(t *testing.T) {
	if got, want := scenarios.PriceIDs(), cost.PriceIDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("scenarios.PriceIDs() = %v, cost.PriceIDs() = %v", got, want)
	}
}
