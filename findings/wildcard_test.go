package findings_test

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/scenarios"
)

// TestWildcardPrincipal checks that "*" in a copy's users (format 1.1:
// anyone, as drsim import writes the account root's delegation to IAM)
// satisfies the policy findings, as it does in the simulation
// (model/kms.Allows): no DR105, DR106 or DR107 for it, and DR105 again
// when the copy names other principals only.
func TestWildcardPrincipal(t *testing.T) {
	const text = `name = "w"
horizon = "24h"
[regions.us-east-1]
[regions.us-west-2]
[keys.k]
multi_region = true
primary = "us-east-1"
replicas = ["us-west-2"]
users = ["*"]
[keys.k.users_in]
us-west-2 = WEST
[app]
principal = "app"
serve = ["us-east-1"]
[buckets.b]
region = "us-east-1"
key = "k"
writes = 1
[[buckets.b.replication]]
to = "us-west-2"
key = "k"
`
	for _, tc := range []struct {
		west string
		want []string
	}{
		{`["*"]`, nil},
		{`["app"]`, []string{findings.ReplicationRoleNotInDestination}},
	} {
		cfg, loc, err := scenarios.ParseLocated("w.toml", []byte(strings.Replace(text, "WEST", tc.west, 1)), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range findings.Static(cfg, loc) {
			switch f.ID {
			case findings.ReplicationRoleNotInDestination, findings.ReplicationRoleNotInSource, findings.AppNotInKeyPolicy:
				got = append(got, f.ID)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("users_in.us-west-2 = %s: policy findings %v, want %v", tc.west, got, tc.want)
		}
	}
}
