package model

import (
	"context"
	"reflect"
	"testing"
)

// An interrupted run returns trials 0..k-1, equal to a run of k trials.
func TestRunTrialsContextInterrupted(t *testing.T) {
	cfg := snowyConfig()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := RunTrialsContext(ctx, cfg, 5, 200000, 2, func(int) {
		cancel() // at the first progress report, about 100 ms in
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled (the run finished before the first progress report?)", err)
	}
	if len(res) == 0 || len(res) >= 200000 {
		t.Fatalf("%d results, want some but not all", len(res))
	}
	if want := RunTrials(cfg, 5, len(res), 1, nil); !reflect.DeepEqual(res, want) {
		t.Error("the interrupted run's results differ from a run of as many trials")
	}
	full, err := RunTrialsContext(context.Background(), cfg, 5, 50, 2, nil)
	if err != nil || len(full) != 50 {
		t.Errorf("uninterrupted: %d results, %v", len(full), err)
	}
}
