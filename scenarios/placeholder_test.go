package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlaceholders checks that every placeholder of
// testdata/errors/placeholders.toml gives exactly one error, a placeholder
// error, and nothing else follows from it.
func TestPlaceholders(t *testing.T) {
	f := filepath.Join("testdata", "errors", "placeholders.toml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(string(data), `"`+PlaceholderPrefix)
	_, err = Load(f)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want an ErrorList", err)
	}
	if len(list) != want {
		t.Errorf("%d errors, want one per placeholder (%d):\n%v", len(list), want, list)
	}
	for _, e := range list {
		if !e.IsPlaceholder() || e.Line == 0 {
			t.Errorf("not a positioned placeholder error: %v", e)
		}
	}
}

// TestPlaceholderFilledByExtends checks that a file extending one with
// placeholders validates once it sets each of them.
func TestPlaceholderFilledByExtends(t *testing.T) {
	base := `name = "imported"
horizon = "FILL-IN: simulated time per trial"
outages = "FILL-IN: the outages"
[regions.us-east-1]
[keys.k]
region = "us-east-1"
users = ["app"]
[app]
principal = "FILL-IN: the principal"
serve = "FILL-IN: the regions serving traffic"
[buckets.b]
region = "us-east-1"
key = "k"
writes = "FILL-IN: PUTs per second"
`
	overlay := `name = "mine"
extends = "imported.toml"
horizon = "24h"
[app]
principal = "app"
serve = ["us-east-1"]
[buckets.b]
writes = 20
[[outages]]
region = "us-east-1"
start = "1h"
duration = "2h"
`
	read := func(p string) ([]byte, error) {
		if filepath.Base(p) == "imported.toml" {
			return []byte(base), nil
		}
		return nil, os.ErrNotExist
	}
	c, err := Parse("dir/mine.toml", []byte(overlay), read)
	if err != nil {
		t.Fatalf("overlay: %v", err)
	}
	if c.Horizon <= 0 || c.App.Principal != "app" || c.Buckets[0].Writes != 20 || len(c.Outages) != 1 {
		t.Errorf("overlay values not taken: horizon %v, principal %q, writes %v, outages %d",
			c.Horizon, c.App.Principal, c.Buckets[0].Writes, len(c.Outages))
	}
	// Without the horizon, the base's placeholder is reported in the base.
	_, err = Parse("dir/mine.toml", []byte(strings.Replace(overlay, `horizon = "24h"`, "", 1)), read)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !list[0].IsPlaceholder() || !strings.HasSuffix(list[0].File, "imported.toml") {
		t.Errorf("got %v, want one placeholder error in imported.toml", err)
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, tc := range []struct {
		v    any
		what string
		ok   bool
	}{
		{Placeholder("PUTs per second"), "PUTs per second", true},
		{"FILL-IN:", "", true},
		{"FILL-IN:x", "x", true},
		{"fill-in: lower case is a plain string", "", false},
		{" FILL-IN: not at the start", "", false},
		{int64(3), "", false},
		{[]any{"FILL-IN: in an array"}, "", false},
	} {
		what, ok := IsPlaceholder(tc.v)
		if what != tc.what || ok != tc.ok {
			t.Errorf("IsPlaceholder(%#v) = %q, %v; want %q, %v", tc.v, what, ok, tc.what, tc.ok)
		}
	}
}
