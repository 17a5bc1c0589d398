package chart

import "flag"

// update rewrites the golden files under testdata/ instead of comparing:
// go test ./report/chart -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")
