package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"ab", "ba", 1},           // one transposition
		{"kitten", "sitting", 3},  // the textbook example
		{"ca", "abc", 2},          // 3 under the restricted (OSA) variant
		{"trails", "trials", 1},   // --trails
		{"comapre", "compare", 1}, // a transposed command
		{"horizn", "horizon", 1},
		{"promote-key", "rotate-key", 3},
		{"eu-west-1", "us-west-2", 3},
		{"héllo", "hlélo", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

// A metric satisfies the triangle inequality; the restricted variant does
// not ("ca", "ac", "abc").
func TestDistanceTriangle(t *testing.T) {
	words := []string{"ca", "ac", "abc", "run", "rn", "nur", "region", "regoin", "rgion", ""}
	for _, a := range words {
		for _, b := range words {
			for _, c := range words {
				if Distance(a, c) > Distance(a, b)+Distance(b, c) {
					t.Errorf("d(%q,%q)=%d > d(%q,%q)+d(%q,%q)=%d", a, c, Distance(a, c), a, b, b, c, Distance(a, b)+Distance(b, c))
				}
			}
		}
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"replicas", "region", "users", "users_in", "primary", "rotation"}
	commands := []string{"run", "compare", "validate", "trace", "list", "init", "version", "completion", "help"}
	ops := []string{"replicate-key", "update-primary-region", "enable-key", "disable-key", "rotate-key", "restore-backup"}
	regions := []string{"us-east-1", "us-west-2"}
	flags := []string{"trials", "seed", "workers", "format", "out", "per-trial", "trace", "trace-trial", "check", "min-probability", "quiet"}
	tests := []struct {
		in    string
		cands []string
		want  string
	}{
		{"replica", keys, "replicas"},
		{"rgion", keys, "region"},
		{"regoin", keys, "region"},
		{"primray", keys, "primary"},
		{"user", keys, "users"},
		{"usersin", keys, "users_in"},
		{"rep", keys, "replicas"}, // a prefix
		{"colour", keys, ""},
		{"x", []string{"a", "k", "k1"}, ""}, // nothing in common
		{"K", []string{"a", "k", "k1"}, "k"},
		{"k3", []string{"a", "k", "k1"}, "k"},
		{"rn", commands, "run"},
		{"rum", commands, "run"},
		{"comapre", commands, "compare"},
		{"lst", commands, "list"},
		{"validat", commands, "validate"},
		{"xyzzy", commands, ""},
		{"trails", flags, "trials"},
		{"sed", flags, "seed"},
		{"min-probabilty", flags, "min-probability"},
		{"tracetrial", flags, "trace-trial"},
		{"run", commands, ""}, // itself
		// issue 15: different words of the same shape are not typos
		{"promote-key", ops, ""},
		{"eu-west-1", regions, ""},
		{"us-west-9", regions, "us-west-2"},
		{"us-east-l", regions, "us-east-1"},
		{"pilot-lite", []string{"active-active", "backup-and-restore", "pilot-light", "snowy", "warm-standby"}, "pilot-light"},
		{"snowey", []string{"snowy"}, "snowy"},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, tt.cands); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tt.in, tt.cands, got, tt.want)
		}
	}
}

func TestLimit(t *testing.T) {
	for _, tt := range []struct{ n, prefix, want int }{
		{0, 0, 1}, {1, 0, 1}, {4, 0, 1}, {7, 0, 1}, {8, 0, 2}, {11, 0, 2}, {12, 0, 3},
		{10, 4, 2}, {10, 5, 3}, {10, 8, 3}, {4, 2, 1}, {0, 0, 1},
	} {
		if got := Limit(tt.n, tt.prefix); got != tt.want {
			t.Errorf("Limit(%d, %d) = %d, want %d", tt.n, tt.prefix, got, tt.want)
		}
	}
}

func BenchmarkClosest(b *testing.B) {
	cands := []string{"replicas", "region", "users", "users_in", "primary", "rotation", "multi_region", "admins", "admins_in"}
	for b.Loop() {
		Closest("replicsa", cands)
	}
}

// TestClosestAll checks that every equally near candidate is returned, in
// candidate order, and that Closest is the first of them.
func TestClosestAll(t *testing.T) {
	services := []string{"kms", "s3", "dynamodb", "app", "sts", "route53-control", "iam-control"}
	for _, tt := range []struct {
		s    string
		want []string
	}{
		{"st", []string{"s3", "sts"}},
		{"kmss", []string{"kms"}},
		{"zzzzzz", nil},
	} {
		got := ClosestAll(tt.s, services)
		if len(got) != len(tt.want) {
			t.Errorf("ClosestAll(%q) = %q, want %q", tt.s, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ClosestAll(%q) = %q, want %q", tt.s, got, tt.want)
			}
		}
		first := ""
		if len(tt.want) > 0 {
			first = tt.want[0]
		}
		if c := Closest(tt.s, services); c != first {
			t.Errorf("Closest(%q) = %q, want %q", tt.s, c, first)
		}
	}
}
