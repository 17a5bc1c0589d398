package scenarios

import "strings"

// PlaceholderPrefix starts a placeholder: a string value that stands for
// something the writer of the file could not know, to be filled in by hand.
// drsim import writes one for every value no infrastructure code holds
// (rates, objectives, outages, the runbook), for example
//
//	writes = "FILL-IN: PUTs per second, like 20 or \"1200/min\""
//
// A placeholder is accepted wherever a value of any type may be written
// (a string, a number, an array or a table), and the decoder rejects every
// one it meets with a positioned error saying what to fill in; a file that
// extends the imported one replaces them with real values.
const PlaceholderPrefix = "FILL-IN:"

// placeholderMsg starts the message of every placeholder error.
const placeholderMsg = "placeholder: fill in "

// Placeholder returns the placeholder value asking for what, a short phrase
// such as `PUTs per second, like 20 or "1200/min"`.
func Placeholder(what string) string { return PlaceholderPrefix + " " + what }

// IsPlaceholder reports whether v is a placeholder value, and returns what it
// asks for.
func IsPlaceholder(v any) (what string, ok bool) {
	s, isStr := v.(string)
	if !isStr || !strings.HasPrefix(s, PlaceholderPrefix) {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(s, PlaceholderPrefix)), true
}

// IsPlaceholder reports whether e is the error of a placeholder left in the
// file (as opposed to any other problem).
func (e *Error) IsPlaceholder() bool { return strings.HasPrefix(e.Msg, placeholderMsg) }

// placeholder reports v, the value at path, if it is a placeholder, and
// returns whether it was.
func (d *decoder) placeholder(path string, v any) bool {
	what, ok := IsPlaceholder(v)
	if !ok {
		return false
	}
	if what == "" {
		what = "this value"
	}
	d.errorf(path, placeholderMsg+"%s (set it here or in a file that extends this one)", what)
	return true
}
