package importer

import (
	"fmt"
	"slices"
	"testing"
)

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"AlertsKey":         "alerts-key",
		"AlertsKMSKey":      "alerts-kms-key",
		"S3Bucket":          "s3-bucket",
		"snowy.alerts_use1": "snowy-alerts-use1",
		"primary":           "primary",
		"--x--":             "x",
		"ÜberKey":           "ber-key",
		"":                  "",
		"KMS":               "kms",
		"table2Replica":     "table2-replica",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAssignNames checks that names are the resources' own, that a
// collision renames only the items whose name is not exactly the shared
// one, with a suffix of their own that does not depend on the rest of the
// input, and that every rename is warned: the new user's buckets a.b/a-b
// and My_Bucket/my-bucket and tables Orders/orders became a, b, c, d, x,
// y (their resource names), and table a-b z, with no warning.
func TestAssignNames(t *testing.T) {
	type item struct{ kind, hint, qualified, region string }
	names := func(items []item) ([]string, []string) {
		out := make([]string, len(items))
		var ns []named
		for i, it := range items {
			ns = append(ns, named{name: &out[i], hint: it.hint, qualified: it.qualified, region: it.region, fallback: it.kind,
				label: it.kind + " " + it.hint})
		}
		return out, assignNames(ns)
	}
	coll := []item{
		{"bucket", "a.b", "a", "us-east-1"}, {"bucket", "a-b", "b", "us-east-1"},
		{"bucket", "My_Bucket", "c", "us-east-1"}, {"bucket", "my-bucket", "d", "us-east-1"},
		{"table", "Orders", "x", "us-east-1"}, {"table", "orders", "y", "us-east-1"}, {"table", "a-b", "z", "us-east-1"},
		{"table", "payments", "p", "us-east-1"}, {"table", "", "q", "us-east-1"},
	}
	got, warnings := names(coll)
	want := []string{"a-b-" + suffix("a.b\x00a\x00us-east-1", 4), "a-b", "my-bucket-" + suffix("My_Bucket\x00c\x00us-east-1", 4), "my-bucket",
		"orders-" + suffix("Orders\x00x\x00us-east-1", 4), "orders", "a-b-" + suffix("a-b\x00z\x00us-east-1", 4), "payments", "table"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q\nwant  %q", got, want)
	}
	if len(warnings) != 4 || warnings[0] != fmt.Sprintf(`bucket a.b is named %q in the scenario, because bucket a-b takes "a-b" (the suffix comes from the resource: it is the same in every import)`, want[0]) {
		t.Errorf("warnings %q", warnings)
	}
	// The same names whatever else the input holds and in what order.
	rev := slices.Clone(coll[:7])
	slices.Reverse(rev)
	again, _ := names(rev)
	slices.Reverse(again)
	if !slices.Equal(again, want[:7]) {
		t.Errorf("reversed input: %q", again)
	}
	alone, _ := names([]item{{"bucket", "a.b", "a", "us-east-1"}})
	if alone[0] != "a-b" {
		t.Errorf("a name with no collision: %q", alone[0])
	}
	// Two items of one name (the same template for two regions).
	twice, w := names([]item{{"bucket", "stack-logs", "stack-Logs", "us-east-1"}, {"bucket", "stack-logs", "stack-Logs", "us-west-2"}})
	if twice[0] == twice[1] || len(w) != 1 {
		t.Errorf("one name twice: %q, %q", twice, w)
	}
}

func TestParseARN(t *testing.T) {
	a, ok := ParseARN("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	if !ok || a.Service != "kms" || a.Region != "us-west-2" || a.Account != "111122223333" || a.Resource != "key/mrk-1234abcd12ab34cd56ef1234567890ab" {
		t.Errorf("ParseARN: %+v %v", a, ok)
	}
	if _, ok := ParseARN("mrk-1234"); ok {
		t.Error("a key ID parsed as an ARN")
	}
	for in, want := range map[string]string{
		"arn:aws:iam::111122223333:role/service-role/s3-replication": "s3-replication",
		"arn:aws:iam::111122223333:user/alice":                       "alice",
		"arn:aws:sts::111122223333:assumed-role/app/session-1":       "app",
		"plain": "plain",
	} {
		if got := PrincipalName(in); got != want {
			t.Errorf("PrincipalName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := BucketNameOf("arn:aws:s3:::snowy-alerts-usw2"); got != "snowy-alerts-usw2" {
		t.Errorf("BucketNameOf = %q", got)
	}
}
