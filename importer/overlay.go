package importer

import (
	"path/filepath"
	"strings"

	"github.com/drsim/drsim/scenarios"
)

// OverlayHeader is the first line of the starter Overlay writes.
const OverlayHeader = "# Your part of the scenario: it extends the imported file."

// Overlay returns a starter for the user's own file, which extends the
// imported scenario r (written at imported, a path) and repeats each of its
// placeholders, in the same tables, for the user to fill in. drsim import
// writes it only when the file does not exist yet, so a re-import never
// touches what the user wrote. The starter keeps every placeholder of r:
// drsim validate on it names each one still to fill in.
func Overlay(r *Rendered, imported string) []byte {
	w := &writer{}
	w.line(OverlayHeader)
	w.line("# drsim import wrote this starter once and never writes it again: edit it")
	w.line("# freely. Replace every " + quote(scenarios.PlaceholderPrefix) + " value; drsim validate names the ones left.")
	w.line("# A value set here replaces the imported one (tables merge key by key; an")
	w.line("# array, such as [[outages]] or users, replaces the imported array whole).")
	w.blank()
	w.kv("name", quote(r.Name+"-dr"), "")
	w.kv("extends", quote(filepath.Base(imported)), "the imported file, rewritten by each re-import")
	table := ""
	for _, h := range r.Placeholders {
		if h.Table != table {
			w.blank()
			w.table(h.Table, "")
			table = h.Table
		}
		what := h.What
		if h.Key == "outages" && h.Table == "" {
			what += `, for example: [[outages]] region = "us-east-1" start = "uniform(2h, 20h)" duration = "lognormal(median=3h, p99=12h)"`
		}
		w.placeholder(h.Table, h.Key, strings.TrimSpace(what), "")
	}
	return []byte(w.b.String())
}
