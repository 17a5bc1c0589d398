package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// rpGolden compares got with testdata/name, or rewrites it with -update.
func rpGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./report -update if the change is intended)", path, i+1, g, w)
		}
	}
}

func TestGoldenReport(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 200, 7)
	r := Build(cfg, 7, res, fixture.Detail(&res[1]), 1)
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report_snowy.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"report_snowy.csv", func(b *bytes.Buffer) error { return WriteCSV(b, cfg, res[:25]) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			rpGolden(t, tt.file, b.Bytes())
		})
	}
}

func TestCSV(t *testing.T) {
	cfg := fixture.SnowyConfig()
	m := sim.Minute
	res := []model.TrialResult{fixture.Trial(0, false, false, 0, 0, 0), fixture.Trial(1, true, true, 10*m, m, 3), fixture.Trial(2, true, false, 0, 0, 0)}
	res[1].FailoverAt = sim.Hour + 10*m
	var b bytes.Buffer
	if err := WriteCSV(&b, cfg, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{
		"trial,t0_seconds,rto_seconds,rpo_seconds,lost_writes,lost_alerts,lost_alert-state,failures_NotFoundException,failures_KMSInvalidStateException,failures_DisabledException,failures_AccessDeniedException,failures_ThrottlingException,failures_KMSUnavailable,unavailable,availability,request_success,failover_at_seconds",
		"0,,,,,,,0,0,0,0,0,0,0,1,1,",
		"1,3600,600,60,3,3,0,0,0,0,0,0,0,0,0.993055556,1,4200",
		"2,3600,,,,,,0,0,0,0,0,0,0,1,1,",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}
