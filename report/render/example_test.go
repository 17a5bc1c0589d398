package render_test

import (
	"fmt"
	"os"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/sim"
)

func ExampleWriteText() {
	cfg := &model.Config{Name: "tiny", Horizon: sim.Day, Regions: []model.Region{{Name: "us-east-1"}},
		Objectives: model.Objectives{RTO: sim.Hour, HasRTO: true, Success: 0.99}}
	results := []model.TrialResult{
		{Trial: 0, UpTime: sim.Day, FailoverAt: -1},
		{Trial: 1, Incident: true, Recovered: true, T0: sim.Hour, RTO: 20 * sim.Minute, UpTime: sim.Day - 20*sim.Minute, FailoverAt: -1},
	}
	r := report.Build(cfg, 1, results, nil, -1)
	fmt.Printf("P(meet RTO) = %v of %d trials; RTO p50 = %vs\n", *r.ObjectivesMet.RTO.P, r.Trials, *r.Metrics.RTOSeconds.P50)
	_ = render.WriteText(os.Stdout, r) // the full text report
}
