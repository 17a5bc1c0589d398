package render

import (
	"fmt"
	"strings"

	"github.com/drsim/drsim/findings"
)

// textFindings renders the findings section of the text report: each
// finding as a compiler-style line with its fix below; "" when there is
// none.
func textFindings(fs []findings.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nFindings (%s; docs/findings.md)\n", findings.Summary(fs))
	for i := range fs {
		fmt.Fprintf(&b, "  %s\n      fix: %s\n", fs[i].String(), fs[i].Fix)
	}
	return b.String()
}
