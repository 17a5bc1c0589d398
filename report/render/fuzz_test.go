package render

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/docfixture"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// FuzzRender builds reports from arbitrary trial results and renders them
// as text and Markdown, and their comparison as text and Markdown, which
// must never panic.
func FuzzRender(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\xff\xfe\xfd\xfc\xfb\xfa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := fixture.SnowyConfig()
		next := func() uint64 {
			var b [8]byte
			n := copy(b[:], data)
			data = data[n:]
			return binary.LittleEndian.Uint64(b[:])
		}
		var res []model.TrialResult
		for i := 0; len(data) > 0 && i < 50; i++ {
			flags := next()
			tr := model.TrialResult{
				Trial: int(int8(flags >> 8)), Incident: flags&1 != 0, Recovered: flags&2 != 0,
				T0: sim.Time(next()), RTO: sim.Time(next()), RPO: sim.Time(next()),
				LostTotal: int64(next()), UpTime: sim.Time(next()), FailoverAt: sim.Time(next()),
				Offered: float64(next() % 1000), Succeeded: math.Float64frombits(next()),
				Unavailable: math.Float64frombits(next()),
			}
			if flags&4 != 0 {
				tr.LostWrites = []int64{int64(next())}
				tr.KMSFailures = make([]float64, int(flags>>16)%20)
				for k := range tr.KMSFailures {
					tr.KMSFailures[k] = math.Float64frombits(next())
				}
			}
			if flags&8 != 0 {
				tr.Ops = make([]model.OpResult, int(flags>>24)%8)
				for j := range tr.Ops {
					tr.Ops[j] = model.OpResult{Started: flags&16 != 0, Done: flags&32 != 0, At: sim.Time(next()),
						Attempts: int(int16(next())), Errors: []model.ErrCount{{Err: "X", N: int(int8(next()))}}, Err: "Y", Code: "Z", Refused: next()%2 == 0}
				}
			}
			res = append(res, tr)
		}
		r := report.Build(cfg, 1, res, &model.Detail{}, 0)
		var b bytes.Buffer
		for _, err := range []error{WriteText(&b, r), WriteMarkdown(&b, r)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		c := report.Compare([]report.CompareInput{{Cfg: cfg, Results: res}, {Cfg: cfg, Results: res, Report: r}})
		if err := WriteCompareText(&b, c); err != nil {
			t.Fatal(err)
		}
		if err := WriteCompareMarkdown(&b, c); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzHTML feeds report documents (as JSON) to the charts and the HTML
// page: they may return errors but must not panic or hang.
func FuzzHTML(f *testing.F) {
	var seed bytes.Buffer
	if err := report.WriteJSON(&seed, docfixture.SyntheticReport()); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add([]byte(`{"horizon_seconds":1e308,"distributions":{"rto":[{"p":0.5,"seconds":-1e308},{"p":1,"seconds":1e308}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var r report.Report
		if json.Unmarshal(doc, &r) != nil {
			return
		}
		if r.Representative != nil && len(r.Representative.Segments)+len(r.Representative.Events) > 2000 {
			return // keep each input cheap
		}
		charts, omitted, err := chart.ForReport(&r)
		if err != nil {
			return
		}
		_ = WriteHTML(io.Discard, &r, charts, omitted)
	})
}
