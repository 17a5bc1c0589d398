package model

import (
	"slices"
	"testing"
)

// TestDemandK12K13 checks the steady-state KMS demand per region against
// sums done by hand, under normal routing, after a failover and
// active/active: calls with a multi-Region key go to the caller's region,
// calls with a single-Region key to its home (K12); quotas are per region
// (K13), so demand is counted where the call lands.
func TestDemandK12K13(t *testing.T) {
	cfg := &Config{
		Regions: []Region{{Name: "us-east-1"}, {Name: "us-west-2"}},
		Keys: []Key{
			{Name: "data", MultiRegion: true, Primary: 0, Replicas: []int{1}},
			{Name: "tokens", Primary: 0}, // single-Region, home us-east-1
		},
		Buckets: []Bucket{{Name: "b", Region: 0, Key: 0, Writes: 20, Reads: 50,
			Replication: []Replication{{To: 1, Key: 0}}}},
		Tables: []Table{{Name: "t", Regions: []int{0, 1}, Keys: []int{0, 0}, ClientKey: 1, Writes: 100, Reads: 400}},
	}
	tests := []struct {
		name  string
		serve []int
		want  []float64
	}{
		// S3 70 + replication at the source 20 + client-side 500 | replication at the destination 20
		{"normal", []int{0}, []float64{590, 20}},
		// the source bucket does not serve: no replication; the single-Region
		// client key still lands in us-east-1
		{"failover", []int{1}, []float64{500, 70}},
		// half each: S3 35 + 35, replication 10 + 10, client-side 250 + 250 to us-east-1
		{"active-active", []int{0, 1}, []float64{545, 45}},
		{"none", nil, []float64{0, 0}},
	}
	for _, tt := range tests {
		if got := Demand(cfg, tt.serve); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Demand = %v, want %v", tt.name, got, tt.want)
		}
	}
	cfg.Buckets[0].BucketKey = true
	if got := Demand(cfg, []int{0}); got[1] != 0.2 {
		t.Errorf("bucket keys: destination demand %v, want 0.2", got[1])
	}
	if CallRegion(cfg, 0, 1) != 1 || CallRegion(cfg, 1, 1) != 0 || CallRegion(cfg, 5, 0) != -1 {
		t.Error("CallRegion")
	}
	cfg.Keys[0].Replicas = nil
	if CallRegion(cfg, 0, 1) != -1 {
		t.Error("CallRegion: a multi-Region key without a copy in the caller's region must give -1 (NotFoundException)")
	}
}
