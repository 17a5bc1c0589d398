package model

import (
	"testing"

	"github.com/drsim/drsim/sim"
)

// TestIncidentWindow: offered and succeeded requests are counted from T0
// until the recovery, or until the horizon when the service does not
// recover, and not at all without an incident.
func TestIncidentWindow(t *testing.T) {
	// snowy offers 570 requests a second; with us-east-1 down and the
	// standby not yet serving, none succeeds between T0 and the failover.
	cfg := snowyFixed(5 * sim.Hour)
	res := NewRunner(cfg).Trial(3, 0, nil)
	if !res.Recovered {
		t.Fatalf("not recovered: %+v", res)
	}
	if want := 570 * float64(res.RTO) / float64(sim.Second); !near(res.IncidentOffered, want, 1e-12) {
		t.Errorf("incident offered = %g, want %g (570/s over the RTO)", res.IncidentOffered, want)
	}
	if res.IncidentSucceeded != 0 {
		t.Errorf("incident succeeded = %g, want 0", res.IncidentSucceeded)
	}

	// Without a runbook the service is down from T0 (2h) to the horizon.
	cfg = snowyFixed(30 * sim.Hour)
	cfg.Failover = nil
	res = NewRunner(cfg).Trial(3, 0, nil)
	if res.Recovered {
		t.Fatalf("recovered: %+v", res)
	}
	if want := 570 * float64(cfg.Horizon-2*sim.Hour) / float64(sim.Second); !near(res.IncidentOffered, want, 1e-12) {
		t.Errorf("unrecovered: incident offered = %g, want %g (570/s from T0 to the horizon)", res.IncidentOffered, want)
	}

	cfg.Outages = nil
	res = NewRunner(cfg).Trial(3, 0, nil)
	if res.Incident || res.IncidentOffered != 0 || res.IncidentSucceeded != 0 {
		t.Errorf("no incident: incident offered %g, succeeded %g, want 0", res.IncidentOffered, res.IncidentSucceeded)
	}
}

// TestOpOutcomes: each op ends done, failed (refused, or not done at the
// horizon), abandoned (in progress when the runbook stopped) or not
// started.
func TestOpOutcomes(t *testing.T) {
	// snowy's steps: approve, scale-up (after approve), promote-key (after
	// approve, optional), dns (after scale-up).
	refusedScaleUp := func(c *Config) {
		c.Regions = append(c.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
		c.Failover.Steps[1].Op = Op{Kind: OpEnableKey, Key: 0, Region: 2}
	}
	tests := []struct {
		name    string
		outage  sim.Time
		horizon sim.Time
		edit    func(*Config)
		want    []OpOutcome
	}{
		// The runbook runs to the failover; promote-key retries while
		// us-east-1's KMS is down and succeeds when it is back (7h).
		{"failover", 5 * sim.Hour, 0, nil, []OpOutcome{OpDone, OpDone, OpDone, OpDone}},
		// us-east-1 is down beyond the horizon: promote-key is still
		// retrying at the horizon, which is a failure.
		{"retrying at the horizon", 30 * sim.Hour, 0, nil, []OpOutcome{OpDone, OpDone, OpFailed, OpDone}},
		// us-east-1 is back 8 minutes after T0, while approve runs (from
		// 2h04m to 2h14m): approve is abandoned, the others never start.
		{"abandoned", 8 * sim.Minute, 0, nil, []OpOutcome{OpAbandoned, OpNotStarted, OpNotStarted, OpNotStarted}},
		// A refused required step fails and ends the runbook: dns, after
		// it, never starts; promote-key, already retrying, goes on and
		// succeeds when us-east-1's KMS is back.
		{"refused", 5 * sim.Hour, 0, refusedScaleUp, []OpOutcome{OpDone, OpFailed, OpDone, OpNotStarted}},
		// The horizon ends during approve.
		{"running at the horizon", 5 * sim.Hour, 2*sim.Hour + 10*sim.Minute, nil, []OpOutcome{OpFailed, OpNotStarted, OpNotStarted, OpNotStarted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := snowyFixed(tt.outage)
			if tt.horizon > 0 {
				cfg.Horizon = tt.horizon
			}
			if tt.edit != nil {
				tt.edit(cfg)
			}
			res := NewRunner(cfg).Trial(3, 0, nil)
			for i, w := range tt.want {
				if got := res.Ops[len(cfg.Actions)+i].Outcome; got != w {
					t.Errorf("step %s: outcome %v, want %v (%+v)", cfg.Failover.Steps[i].Name, got, w, res.Ops[len(cfg.Actions)+i])
				}
			}
		})
	}

	// Actions: done, failed (refused: no copy in eu-west-1), not started
	// (after the horizon).
	cfg := snowyFixed(5 * sim.Hour)
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
	cfg.Actions = []Action{action(sim.Hour, OpRotateKey, 0, -1), action(sim.Hour, OpEnableKey, 0, 2), action(30*sim.Hour, OpDisableKey, 0, east)}
	res := NewRunner(cfg).Trial(3, 0, nil)
	for i, w := range []OpOutcome{OpDone, OpFailed, OpNotStarted} {
		if got := res.Ops[i].Outcome; got != w {
			t.Errorf("action %d: outcome %v, want %v (%+v)", i+1, got, w, res.Ops[i])
		}
	}
	if s := OpAbandoned.String(); s != "abandoned" {
		t.Errorf("OpAbandoned.String() = %q", s)
	}
}
