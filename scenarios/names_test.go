package scenarios

import "testing"

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
