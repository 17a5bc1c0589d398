package model

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

func TestCheck(t *testing.T) {
	for _, cfg := range []*Config{snowyConfig(), ddbConfig(), backupConfig(sim.Hour), strandConfig(sim.ConstDist(sim.Second), 1, sim.Hour)} {
		if err := cfg.Check(); err != nil {
			t.Errorf("%s: %v", cfg.Name, err)
		}
	}
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   string
	}{
		{"no region", func(c *Config) { c.Regions = nil }, "no region"},
		{"horizon", func(c *Config) { c.Horizon = 0 }, "horizon"},
		{"serve", func(c *Config) { c.App.Serve = []int{5} }, "app.serve: region index 5"},
		{"bucket key", func(c *Config) { c.Buckets[0].Key = 3 }, "buckets.alerts.key: key index 3"},
		{"replication to", func(c *Config) { c.Buckets[0].Replication[0].To = -1 }, "buckets.alerts.replication.to"},
		{"table keys", func(c *Config) { c.Tables[0].Keys = []int{0} }, "1 keys for 2 regions"},
		{"table without region", func(c *Config) { c.Tables[0].Regions, c.Tables[0].Keys = nil, nil }, "tables.alert-state.regions"},
		{"table twice", func(c *Config) { c.Tables[0].Regions = []int{0, 0} }, "listed twice"},
		{"client key", func(c *Config) { c.Tables[0].ClientKey = 9 }, "client_key"},
		{"backup every", func(c *Config) { c.Tables[0].Backup = &Backup{To: 1} }, "every must be positive"},
		{"outage region", func(c *Config) { c.Outages[0].Region = 2 }, "outages.region"},
		{"partition", func(c *Config) {
			c.Outages[0].Kind = Partition
			c.Outages[0].Regions = [2]int{0, 7}
		}, "outages.regions"},
		{"failover to", func(c *Config) { c.Failover.To = 2 }, "failover.to"},
		{"after", func(c *Config) { c.Failover.Steps[1].After = []int{1} }, "scale-up.after"},
		{"op kind", func(c *Config) { c.Failover.Steps[2].Op.Kind = OpKind(len(OpNames)) }, "promote-key: unknown operation"},
		{"restore store", func(c *Config) {
			c.Failover.Steps[0].Op = Op{Kind: OpRestoreBackup, Store: StoreRef{Kind: StoreTable, Index: 4}}
		}, "store index 4"},
	}
	for _, tt := range tests {
		cfg := snowyConfig()
		tt.mutate(cfg)
		err := cfg.Check()
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "model: ") {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}
