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
// requests, failover time without a failover.
func WriteCSV(w io.Writer, cfg *model.Config, results []model.TrialResult) error {
	cw := csv.NewWriter(w)
	header := CSVHeader(cfg)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: writing csv: %w", err)
	}
	nStores := len(cfg.Buckets) + len(cfg.Tables)
	nRegions := len(cfg.Regions)
	row := make([]string, 0, len(header))
	for i := range results {
		t := &results[i]
		row = row[:0]
		row = append(row, strconv.Itoa(t.Trial))
		if t.Incident {
			row = append(row, csvNum(seconds(t.T0)))
		} else {
			row = append(row, "")
		}
		recovered := t.Incident && t.Recovered
		if recovered {
			row = append(row, csvNum(seconds(t.RTO)), csvNum(seconds(t.RPO)), strconv.FormatInt(t.LostTotal, 10))
		} else {
			row = append(row, "", "", "")
		}
		for s := 0; s < nStores; s++ {
			if recovered && s < len(t.LostWrites) {
				row = append(row, strconv.FormatInt(t.LostWrites[s], 10))
			} else {
				row = append(row, "")
			}
		}
		for r := kms.Reason(1); r < kms.NumReasons; r++ {
			var sum float64
			for g := 0; g < nRegions; g++ {
				if k := int(r)*nRegions + g; k < len(t.KMSFailures) {
					sum += t.KMSFailures[k]
				}
			}
			row = append(row, csvNum(human.Round(sum)))
		}
		row = append(row, csvNum(human.Round(t.Unavailable)))
		if cfg.Horizon > 0 {
			row = append(row, csvNum(human.Round(float64(t.UpTime)/float64(cfg.Horizon))))
		} else {
			row = append(row, "")
		}
		if t.Offered > 0 {
			row = append(row, csvNum(human.Round(t.Succeeded/t.Offered)))
		} else {
			row = append(row, "")
		}
		if t.FailoverAt >= 0 {
			row = append(row, csvNum(seconds(t.FailoverAt)))
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
