package render

import (
	"testing"

	"github.com/drsim/drsim/report/internal/docfixture"
)

// BenchmarkWriteAll: every file of --out for the snowy fixture's report
// (JSON, Markdown, HTML and the charts as SVG and PNG).
func BenchmarkWriteAll(b *testing.B) {
	_, _, r := docfixture.SnowyReport()
	dir := b.TempDir()
	for b.Loop() {
		if err := WriteAll(dir, r); err != nil {
			b.Fatal(err)
		}
	}
}
