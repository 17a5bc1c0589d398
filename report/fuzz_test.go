package report

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// FuzzBuild builds reports and comparisons from arbitrary trial results
// and writes them as JSON and CSV, which must never panic. (The renderers'
// fuzz target, in report/render, feeds the same shapes to every format.)
func FuzzBuild(f *testing.F) {
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
		r := Build(cfg, 1, res, &model.Detail{}, 0)
		var b bytes.Buffer
		for _, err := range []error{WriteJSON(&b, r), WriteCSV(&b, cfg, res)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		c := Compare([]CompareInput{{Cfg: cfg, Results: res}, {Cfg: cfg, Results: res, Report: r}})
		if err := WriteCompareJSON(&b, c); err != nil {
			t.Fatal(err)
		}
	})
}
