package findings

import (
	"fmt"
	"strings"

	"github.com/drsim/drsim/model"
)

// This file computes the parts of fix texts that depend on what the
// scenario already has, so that a fix never suggests what is already there.

// demandParts splits the KMS demand (model.Demand) that lands in region r
// when serve serves into the calls of the tables' client-side encryption,
// of the buckets that use S3 Bucket Keys, and of the buckets that do not
// (calls per second), with the names of the stores behind each.
func (c *checker) demandParts(serve []int, r int) (tables, withBK, withoutBK float64, tableNames, noBKNames []string) {
	only := func(buckets []model.Bucket, tables []model.Table) float64 {
		cc := *c.cfg
		cc.Buckets, cc.Tables = buckets, tables
		return model.Demand(&cc, serve)[r]
	}
	var bk, nobk []model.Bucket
	for _, b := range c.cfg.Buckets {
		if b.BucketKey {
			bk = append(bk, b)
			continue
		}
		if one := only([]model.Bucket{b}, nil); one > 0 {
			noBKNames = append(noBKNames, b.Name)
		}
		nobk = append(nobk, b)
	}
	for _, t := range c.cfg.Tables {
		if one := only(nil, []model.Table{t}); one > 0 {
			tableNames = append(tableNames, t.Name)
		}
	}
	return only(nil, c.cfg.Tables), only(bk, nil), only(nobk, nil), tableNames, noBKNames
}

// demandFrom says where the demand d of region r comes from when tables'
// client-side encryption is part of it: " (100 from the client-side
// encryption of table "accounts")", else "".
func (c *checker) demandFrom(serve []int, r int, d float64) string {
	tables, _, _, names, _ := c.demandParts(serve, r)
	if tables <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%s of them from the client-side encryption of %s %s)", calls(tables), plural(len(names), "table", "tables"), quoteJoin(names))
}

// bucketKeyFix suggests S3 Bucket Keys for the buckets of region r's demand
// d (quota q) that do not use them, with the demand they would leave; ""
// when every bucket behind the demand already uses them.
func (c *checker) bucketKeyFix(serve []int, r int, d, q float64) string {
	_, _, nobk, _, names := c.demandParts(serve, r)
	if nobk <= 0 || len(names) == 0 {
		return ""
	}
	after := d - nobk*(1-model.BucketKeyFactor)
	still := ""
	if after > q {
		still = ", still over the quota"
	}
	return fmt.Sprintf(", or turn on S3 Bucket Keys for %s %s (bucket_key = true): the demand falls to %s calls/s%s",
		plural(len(names), "bucket", "buckets"), quoteJoin(names), calls(after), still)
}

// quoteJoin quotes names and joins them with commas.
func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// calls prints a rate of calls per second: trimFloat's digits.
func calls(v float64) string { return trimFloat(v) }
