package chart

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/docfixture"
)

// FuzzCharts feeds report documents (as JSON) to the charts: they may
// return errors but must not panic or hang. (FuzzHTML in report/render
// feeds the same documents to the HTML page.)
func FuzzCharts(f *testing.F) {
	var seed bytes.Buffer
	if err := report.WriteJSON(&seed, docfixture.SyntheticReport()); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add([]byte(`{"horizon_seconds":1e308,"distributions":{"rto":[{"p":0.5,"seconds":-1e308},{"p":1,"seconds":1e308}]}}`))
	f.Add([]byte(`{"representative":{"segments":[{"lane":"key k r","start_ns":-9223372036854775808,"end_ns":9223372036854775807,"label":"Enabled"}],"rates":[{"t_ns":5}],"backlog":[{"t_ns":-9223372036854775808},{"t_ns":9223372036854775807}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var r report.Report
		if json.Unmarshal(doc, &r) != nil {
			return
		}
		if r.Representative != nil && len(r.Representative.Segments)+len(r.Representative.Events) > 2000 {
			return // keep each input cheap
		}
		charts, _, err := ForReport(&r)
		if err != nil {
			return
		}
		for i := range charts {
			_ = charts[i].WriteSVG(io.Discard)
		}
	})
}
