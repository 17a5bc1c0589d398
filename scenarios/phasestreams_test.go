package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
)

// phaseDoc is a scenario with an outage in phases (PHASES replaced) and
// another outage.
const phaseDoc = `name = "phases"
horizon = "2d"
trials = 10
[regions.us-east-1]
[regions.us-west-2]
[keys.k]
multi_region = true
primary = "us-east-1"
replicas = ["us-west-2"]
users = ["app"]
[app]
principal = "app"
serve = ["us-east-1"]
[tables.t]
regions = ["us-east-1", "us-west-2"]
key = "k"
writes = 1
[[outages]]
name = "event"
region = "us-east-1"
start = "uniform(1h, 5h)"
PHASES
[[outages]]
name = "blip"
region = "us-west-2"
services = ["dynamodb"]
start = "uniform(1h, 40h)"
duration = "uniform(1m, 30m)"
`

const (
	phaseA = "[[outages.phases]]\nservices = [\"app\", \"dynamodb\"]\nduration = \"uniform(1h, 10h)\"\n"
	phaseB = "[[outages.phases]]\nservices = [\"route53-control\"]\noffset = \"uniform(0s, 1h)\"\nduration = \"uniform(1h, 3h)\"\n"
	phaseX = "[[outages.phases]]\nservices = [\"kms\"]\noffset = \"uniform(0s, 2h)\"\nduration = \"uniform(10m, 2h)\"\n"
)

// phaseDraws returns, for the scenario with the given phases, the uniforms
// of trials 0..9 of each phase's offset and duration ([phase][2·trial+k])
// and of the other outage's start.
func phaseDraws(t *testing.T, phases ...string) ([][]float64, []float64) {
	t.Helper()
	doc := strings.Replace(phaseDoc, "PHASES\n", strings.Join(phases, ""), 1)
	cfg, err := Parse("phases.toml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	inputs := model.SingleDrawInputs(cfg)
	d := model.NewInputDraws(cfg, inputs)
	u := make([]float64, len(inputs))
	byPhase := make([][]float64, len(phases))
	var blip []float64
	for trial := range 10 {
		d.Uniforms(cfg.Seed, trial, u)
		for i, in := range inputs {
			switch {
			case in.Index == 0 && (in.Kind == model.InputPhaseOffset || in.Kind == model.InputPhaseDuration):
				byPhase[in.Phase] = append(byPhase[in.Phase], u[i])
			case in.Index == 1 && in.Kind == model.InputOutageStart:
				blip = append(blip, u[i])
			}
		}
	}
	return byPhase, blip
}

// TestPhaseStreams checks what docs/scenario-format.md says of the phases'
// streams ("outage/NAME/phase-i", i from 1): appending a phase changes no
// other draw; inserting one renumbers the phases after it, whose draws
// change; the other outage's draws never change.
func TestPhaseStreams(t *testing.T) {
	base, blip := phaseDraws(t, phaseA, phaseB)
	appended, blipA := phaseDraws(t, phaseA, phaseB, phaseX)
	inserted, blipI := phaseDraws(t, phaseA, phaseX, phaseB)
	if len(base[0]) != 20 || len(blip) != 10 {
		t.Fatalf("draws: %d, %d", len(base[0]), len(blip))
	}
	if !slices.Equal(appended[0], base[0]) || !slices.Equal(appended[1], base[1]) {
		t.Error("appending a phase changed the draws of the phases before it")
	}
	if !slices.Equal(inserted[0], base[0]) {
		t.Error("inserting a phase changed the draws of the phase before it")
	}
	if slices.Equal(inserted[2], base[1]) {
		t.Error("a phase renumbered by an insertion kept its draws: the streams are not by position")
	}
	if !slices.Equal(inserted[1], base[1]) {
		t.Error("the phase at position 2 does not draw from the stream of position 2")
	}
	if !slices.Equal(blipA, blip) || !slices.Equal(blipI, blip) {
		t.Error("adding a phase changed another outage's draws")
	}
}
