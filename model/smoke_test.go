package model

import (
	"testing"

	"drsim/sim"
)

func TestSnowySmoke(t *testing.T) {
	cfg := snowyConfig()
	r := NewRunner(cfg)
	var d Detail
	res := r.Trial(cfg.Seed, 0, &d)
	t.Logf("%+v", res)
	for _, e := range d.Events {
		t.Logf("%s %-18s %s", sim.FormatDuration(e.T), e.Kind, e.Message)
	}
}
