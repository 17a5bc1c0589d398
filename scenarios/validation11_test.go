package scenarios

import (
	"strings"
	"testing"
)

// validation11Base is a small valid 1.1 scenario; each case appends to it.
const validation11Base = `name = "v"
horizon = "1d"
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
`

// TestValidation11 checks the messages of the format 1.1 validation gaps a
// new user met: each names the real problem, its hint is valid scenario
// syntax, and none is garbled.
func TestValidation11(t *testing.T) {
	for _, tt := range []struct {
		name, add string
		want      []string // in the error
		not       []string // not in it
	}{
		{"arc takes no region", "[failover]\nfrom = \"us-east-1\"\nto = \"us-west-2\"\n[[failover.steps]]\nname = \"flip\"\nneeds = [\"arc-routing-control@us-east-1\"]\n",
			[]string{`"arc-routing-control" takes no region: write "arc-routing-control"`}, []string{"unknown service"}},
		{"equally close services", "[[outages]]\nregion = \"us-east-1\"\nservices = [\"st\"]\nstart = \"1h\"\nduration = \"1h\"\n",
			[]string{`unknown service "st" (did you mean "s3" or "sts"?)`}, nil},
		{"phases hint in TOML", "[[outages]]\nregion = \"us-east-1\"\nstart = \"1h\"\nphases = { duration = \"1h\" }\n",
			[]string{"([[outages.phases]])"}, []string{"[[outages[0]"}},
		{"negative offset", "[[outages]]\nregion = \"us-east-1\"\nstart = \"1h\"\n[[outages.phases]]\noffset = \"-5m\"\nduration = \"1h\"\n",
			[]string{`duration "-5m" is negative`}, []string{"or a distribution"}},
		{"negative copy", "[[actions]]\nat = \"1h\"\nop = \"create-table-replica\"\nstore = \"t\"\nregion = \"us-west-2\"\ncopy = \"-5m\"\n",
			[]string{`duration "-5m" is negative`}, []string{"or a distribution"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v.toml", []byte(validation11Base+tt.add), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(err.Error(), w) {
					t.Errorf("error holds %q:\n%v", w, err)
				}
			}
		})
	}
	// The largest seed a file can hold is the largest --seed takes, and
	// one beyond says so.
	if _, err := Parse("v.toml", []byte("seed = 9223372036854775807\n"+validation11Base), nil); err != nil {
		t.Errorf("the largest seed: %v", err)
	}
	if _, err := Parse("v.toml", []byte("seed = 18446744073709551615\n"+validation11Base), nil); err == nil ||
		!strings.Contains(err.Error(), "go up to 9223372036854775807: the largest seed") {
		t.Errorf("a seed beyond int64: %v", err)
	}
}
