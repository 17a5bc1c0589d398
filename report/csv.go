package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/human"
)

// CSVHeader returns the columns of WriteCSV: trial, t0_seconds, rto_seconds,
// rpo_seconds, lost_writes, lost_<store> per store, failures_<reason> per
// reason (summed over regions), unavailable, availability, request_success,
// failover_at_seconds. A store name's control characters are escaped as
// "\x1b" etc. (escape.Text): a CSV is often looked at in a terminal.
func CSVHeader(cfg *model.Config) []string {
	h := []string{"trial", "t0_seconds", "rto_seconds", "rpo_seconds", "lost_writes"}
	for _, k := range storeKeys(cfg) {
		h = append(h, "lost_"+escape.Text(k))
	}
	for r := kms.Reason(1); r < kms.NumReasons; r++ {
		h = append(h, "failures_"+r.String())
	}
	return append(h, "unavailable", "availability", "request_success", "failover_at_seconds")
}

// WriteCSV writes one row per trial, in the order of results. Cells that do
// not apply are empty: t0 without an incident, RTO/RPO/lost writes unless the
// trial had an incident and recovered, request success without offered
// requests, failover time without a failover. It packs the results
// (Trials) and calls WriteTrialsCSV.
func WriteCSV(w io.Writer, cfg *model.Config, results []model.TrialResult) error {
	t := NewTrials(cfg, 0, 0)
	t.Add(results...)
	return writeCSV(w, t, func(k int) int { return results[k].Trial })
}

// WriteTrialsCSV writes one row per trial of t, in trial order, from its
// compact records (WriteCSV says what the cells hold).
func WriteTrialsCSV(w io.Writer, t *Trials) error {
	return writeCSV(w, t, func(k int) int { return t.from + k })
}

func writeCSV(w io.Writer, t *Trials, trialOf func(k int) int) error {
	cfg := t.Cfg
	cw := csv.NewWriter(w)
	header := CSVHeader(cfg)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: writing csv: %w", err)
	}
	row := make([]string, 0, len(header))
	for k := range t.recs {
		r := &t.recs[k]
		i := t.from + k
		row = row[:0]
		row = append(row, strconv.Itoa(trialOf(k)))
		if r.Incident() {
			row = append(row, csvNum(seconds(r.T0)))
		} else {
			row = append(row, "")
		}
		recovered := r.Incident() && r.Recovered()
		if recovered {
			rpo := "inf"
			if !r.UnboundedRPO() {
				rpo = csvNum(seconds(r.RPO))
			}
			row = append(row, csvNum(seconds(r.RTO)), rpo, csvLost(t.LostTotal(i)))
		} else {
			row = append(row, "", "", "")
		}
		for s := 0; s < t.nStores; s++ {
			if recovered {
				row = append(row, csvLost(t.LostWrites(i, s)))
			} else {
				row = append(row, "")
			}
		}
		byReason, _ := t.failuresOfTrial(i)
		for rr := kms.Reason(1); rr < kms.NumReasons; rr++ {
			row = append(row, csvNum(human.Round(byReason[rr])))
		}
		row = append(row, csvNum(human.Round(r.Unavailable)))
		if cfg.Horizon > 0 {
			row = append(row, csvNum(human.Round(float64(t.UpTime(i))/float64(cfg.Horizon))))
		} else {
			row = append(row, "")
		}
		if r.Flags&flagSuccess != 0 {
			row = append(row, csvNum(human.Round(r.Success)))
		} else {
			row = append(row, "")
		}
		if fo := t.FailoverAt(i); fo >= 0 {
			row = append(row, csvNum(seconds(fo)))
		} else {
			row = append(row, "")
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: writing csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: writing csv: %w", err)
	}
	return nil
}

func csvNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// csvLost writes a lost-writes count, "inf" for model.UnboundedLost.
func csvLost(n int64) string {
	if n == model.UnboundedLost {
		return "inf"
	}
	return strconv.FormatInt(n, 10)
}
