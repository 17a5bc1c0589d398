package report

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// FuzzCharts feeds report documents (as JSON) to the charts and the HTML
// renderer: they may return errors but must not panic or hang.
func FuzzCharts(f *testing.F) {
	var seed bytes.Buffer
	if err := WriteJSON(&seed, chSyntheticReport()); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add([]byte(`{"horizon_seconds":1e308,"distributions":{"rto":[{"p":0.5,"seconds":-1e308},{"p":1,"seconds":1e308}]}}`))
	f.Add([]byte(`{"representative":{"segments":[{"lane":"key k r","start_ns":-9223372036854775808,"end_ns":9223372036854775807,"label":"Enabled"}],"rates":[{"t_ns":5}],"backlog":[{"t_ns":-9223372036854775808},{"t_ns":9223372036854775807}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var r Report
		if json.Unmarshal(doc, &r) != nil {
			return
		}
		if r.Representative != nil && len(r.Representative.Segments)+len(r.Representative.Events) > 2000 {
			return // keep each input cheap
		}
		charts, err := Charts(&r)
		if err != nil {
			return
		}
		for i := range charts {
			_ = charts[i].WriteSVG(io.Discard)
		}
		_ = WriteHTML(io.Discard, &r, charts)
	})
}
