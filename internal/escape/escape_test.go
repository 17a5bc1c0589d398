package escape

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, s := range hostile {
		got := Text(s)
		if strings.IndexFunc(got, Unsafe) >= 0 {
			t.Errorf("Text(%q) = %q keeps an unsafe rune", s, got)
		}
	}
	if got, want := Text("\x1b[31mred\n"), `\x1b[31mred\n`; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := Text("a\u202eb"), `a\u202eb`; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got := Text("plain – ünïcode ≤ ∞"); got != "plain – ünïcode ≤ ∞" {
		t.Errorf("Text changed a safe string: %q", got)
	}
}

func TestMessage(t *testing.T) {
	for _, s := range hostile {
		for _, l := range strings.Split(Message(s), "\n") {
			if strings.IndexFunc(l, Unsafe) >= 0 {
				t.Errorf("Message(%q) keeps an unsafe rune in line %q", s, l)
			}
		}
	}
	if got, want := Message("scenarios: a.toml:1:1: bucket \x1b[31mx\x00\nscenarios: b\u202e"), "scenarios: a.toml:1:1: bucket \\x1b[31mx\\x00\nscenarios: b\\u202e"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestStrip(t *testing.T) {
	for _, s := range hostile {
		if got := Strip(s); strings.IndexFunc(got, Unsafe) >= 0 {
			t.Errorf("Strip(%q) = %q keeps an unsafe rune", s, got)
		}
	}
	if got, want := Strip("a\nb\x1b[0m\u202ec"), "a b[0mc"; got != want {
		t.Errorf("Strip = %q, want %q", got, want)
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<script>alert(1)</script>", `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"<javascript:alert(1)>", `&lt;javascript:alert(1)&gt;`},
		{"![img](x.png)", `!\[img\](x.png)`},
		{"$6,613.68 (2 copies)", "$6,613.68 (2 copies)"},
		{"a|b", `a\|b`},
		{"snowy-alerting us-east-1", "snowy-alerting us-east-1"},
		{"line\nnext", `line\\nnext`},
	}
	for _, tt := range tests {
		if got := Markdown(tt.in); got != tt.want {
			t.Errorf("Markdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range hostile {
		got := Markdown(s)
		for _, bad := range []string{"<", ">", "](", "![", "\n"} {
			if unescaped(got, bad) {
				t.Errorf("Markdown(%q) = %q contains %q", s, got, bad)
			}
		}
	}
}

// unescaped reports whether sub occurs in s other than right after a
// backslash that escapes its first character.
func unescaped(s, sub string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || s[j-1] != '\\' {
			return true
		}
		i = j + 1
	}
}

// hostile are strings that try to control a terminal, a Markdown or an HTML
// reader (the report's own fixture, report/internal/fixture, has the same).
var hostile = []string{
	"\x1b[31mred\x1b[0m",
	"\x1b]0;owned\x07",
	"\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"\x9b31m C1 CSI",
	"bell\x07 back\x08space\rreturn",
	"a\u202eevil\u202c b\u2066c\u2069",
	"line\nMonthly cost: $0.00",
	"<script>alert(1)</script>",
	`<img src=x onerror="alert(1)">`,
	"[click](javascript:alert(1))",
	"<javascript:alert(1)>",
	"![img](https://evil.example/x.png)",
	"a|b **bold** `code` ~~s~~ $x$ # h",
	"bad utf8 \xff\xfe",
}
