package importer

import (
	"fmt"
	"strings"
	"testing"
)

// TestSummaryLongLists checks that the summary cuts long lists (the new
// user's 20,000 buckets gave a 1.5 MB summary: 40,007 placeholder names
// and 20,000 addresses), lists data sources apart from resource types, and
// says what an overlay leaves to fill in.
func TestSummaryLongLists(t *testing.T) {
	inv, k := setup(t, []string{"us-east-1"}, "app")
	for i := range 30 {
		bucket(inv, k, fmt.Sprintf("b%02d", i), "us-east-1")
		inv.Unsupport("aws_s3_bucket_versioning", fmt.Sprintf("aws_s3_bucket_versioning.v%02d", i))
		inv.Warn("warning %d", i)
	}
	for i := range 30 {
		inv.Warn("more %d", i)
	}
	inv.Unsupport("data.aws_caller_identity", "data.aws_caller_identity.current")
	inv.Finish()
	r := Render(inv, Options{})
	var b strings.Builder
	Summary(&b, inv, r, nil)
	sum := b.String()
	for _, want := range []string{
		"  to fill in: 67 placeholders: horizon, outages, failover, objectives.rto, objectives.rpo, app.principal, app.serve, " +
			"buckets.b00.writes, buckets.b00.reads, buckets.b01.writes, buckets.b01.reads, buckets.b02.writes, buckets.b02.reads, " +
			"buckets.b03.writes, buckets.b03.reads, buckets.b04.writes, buckets.b04.reads, buckets.b05.writes, buckets.b05.reads, buckets.b06.writes, … and 47 more\n",
		"  not imported (types drsim does not model):\n    aws_s3_bucket_versioning (30): aws_s3_bucket_versioning.v00, ",
		"aws_s3_bucket_versioning.v19, … and 10 more\n",
		"  data sources (read by Terraform, not infrastructure: not imported):\n    data.aws_caller_identity (1): data.aws_caller_identity.current\n",
		"    - … and 10 more (the imported file's header lists them all)\n",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
	b.Reset()
	Summary(&b, inv, r, &Fill{Overlay: "mine.toml", Left: []string{"buckets.b29.writes", "buckets.b29.reads"}})
	if want := "  to fill in: 67 placeholders, of which mine.toml sets 65; 2 left: buckets.b29.writes, buckets.b29.reads\n"; !strings.Contains(b.String(), want) {
		t.Errorf("the summary lacks %q:\n%s", want, b.String())
	}
}
