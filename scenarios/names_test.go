package scenarios

import (
	"strings"
	"testing"
)

func TestIsRegionCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"us-east-1", true},
		{"eu-west-3", true},
		{"us-gov-west-1", true},
		{"ap-southeast-9", true}, // a future Region of the usual shape
		{"us-isob-east-1", true},
		{"eu-wset-1", false},
		{"us-east", false},
		{"useast1", false},
		{"us-east-0", false},
	} {
		if got := isRegionCode(tc.name); got != tc.want {
			t.Errorf("isRegionCode(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Issue 15: the did-you-mean must not offer a different word of the same
// shape, and an undeclared AWS Region gets told how to declare it.
func TestDidYouMeanDifferentWords(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want, not string
	}{
		{"undeclared AWS Region", edit(t, `[regions.eu-west-1]`, ``, `replicas = ["us-west-2"]`, `replicas = ["eu-west-1"]`),
			`keys.mrk.replicas: "eu-west-1" is not a declared region; add [regions.eu-west-1] to declare it (declared: us-east-1, us-west-2)`, "did you mean"},
		{"typo of a declared region", edit(t, `replicas = ["us-west-2"]`, `replicas = ["us-west-9"]`),
			`"us-west-9" is not a declared region (did you mean "us-west-2"?)`, "add [regions"},
		{"promote-key is no rotate-key", edit(t, `op = "disable-key"`, `op = "promote-key"`),
			`unknown op "promote-key"; ops: `, "rotate-key\"?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseString(t, tt.src)
			got := errs.Error()
			if !strings.Contains(got, tt.want) {
				t.Errorf("errors do not contain %q:\n%s", tt.want, got)
			}
			if strings.Contains(got, tt.not) {
				t.Errorf("errors contain %q:\n%s", tt.not, got)
			}
		})
	}
}
