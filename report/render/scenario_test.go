package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestScenarioText: the text report lists each event once, with its
// phases, the start, and the profiles it uses with their sources.
func TestScenarioText(t *testing.T) {
	cfg := fixture.PhasedSnowyConfig()
	r := report.Build(cfg, 7, model.RunTrials(cfg, 7, 20, 2, nil), nil, -1)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, w := range []string{
		"us-east-1 regional outage: every service in us-east-1, from uniform(1h, 20h) for profile(aws-regional)",
		"dns event: an event in us-east-1 from uniform(2h, 20h) with probability 50.0%, in 2 phases: phases[0]: dynamodb from +0s for 2h52m; phases[1]: app at an error rate of 50.0% from +2h37m for lognormal(median=8h, p99=14h)",
		"Start: steady",
		"profile(aws-regional): lognormal fitted to the whole-event durations of 8 AWS",
		"2021-12-07 us-east-1 7h (https://aws.amazon.com/message/12721/)",
		"a biased sample",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
	if strings.Count(text, "dns event") != 1 {
		t.Errorf("the event is listed %d times", strings.Count(text, "dns event"))
	}
}
