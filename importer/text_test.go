package importer

import (
	"strings"
	"testing"
)

// TestCheckText checks the encodings an input file may come in: a UTF-8
// byte order mark is accepted (the new user's bom.json was "invalid
// character 'ï'"), UTF-16 and UTF-32 are refused saying how to convert
// (u16.json, a PowerShell > redirect, was "invalid character 'ÿ'"), and an
// empty file says what was expected (empty.json was "EOF").
func TestCheckText(t *testing.T) {
	utf16 := func(s string, le bool) []byte {
		var b []byte
		for _, c := range []byte(s) {
			if le {
				b = append(b, c, 0)
			} else {
				b = append(b, 0, c)
			}
		}
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		text string // the text returned, or
		err  string // the error
	}{
		{"UTF-8", []byte(`{"a": 1}`), `{"a": 1}`, ""},
		{"UTF-8 with a byte order mark", []byte("\xef\xbb\xbf{\"a\": \"é\"}"), `{"a": "é"}`, ""},
		{"UTF-16LE with a byte order mark", append([]byte{0xff, 0xfe}, utf16(`{"a": 1}`, true)...), "", "importer: s.json:1:1: the file is UTF-16LE, not UTF-8 (Windows PowerShell's > writes UTF-16): save it as UTF-8, for example with | Out-File -Encoding utf8, or convert it with iconv -f UTF-16LE -t UTF-8"},
		{"UTF-16BE with a byte order mark", append([]byte{0xfe, 0xff}, utf16(`{"a": 1}`, false)...), "", "the file is UTF-16BE"},
		{"UTF-16LE without one", utf16(`{"a": 1}`, true), "", "the file is UTF-16LE"},
		{"UTF-32LE", []byte{0xff, 0xfe, 0, 0, '{', 0, 0, 0}, "", "the file is UTF-32LE"},
		{"empty", nil, "", "importer: s.json:1:1: empty file: expected the JSON of terraform show -json"},
		{"white space", []byte(" \r\n\t\n"), "", "empty file"},
		{"a byte order mark alone", []byte("\xef\xbb\xbf\n"), "", "empty file"},
	} {
		text, err := CheckText("s.json", tc.data, "the JSON of terraform show -json")
		switch {
		case tc.err == "" && (err != nil || string(text) != tc.text):
			t.Errorf("%s: %q, %v", tc.name, text, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
	}
}
