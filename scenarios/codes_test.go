package scenarios

import "testing"

func TestExportedCodes(t *testing.T) {
	for _, tc := range []struct {
		s             string
		shaped, known bool
	}{
		{"us-east-1", true, true}, {"us-gov-west-1", true, true}, {"us-west-9", true, false},
		{"US-EAST-1", false, false}, {"mars-1", false, false}, {"us-east-1,us-west-2", false, false}, {"", false, false},
	} {
		if s, k := RegionCode(tc.s); s != tc.shaped || k != tc.known {
			t.Errorf("RegionCode(%q) = %v, %v; want %v, %v", tc.s, s, k, tc.shaped, tc.known)
		}
	}
	for s, want := range map[string]bool{"media": true, "my setup": false, "Media": false, "-x": false, "a-1": true, "": false} {
		if ValidName(s) != want {
			t.Errorf("ValidName(%q) = %v", s, !want)
		}
	}
}
