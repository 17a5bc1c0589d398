package importer

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/drsim/drsim/importer/policy"
)

// Counts are the totals an import summary reports.
type Counts struct {
	Keys, Copies, Buckets, Rules, Tables, TableReplicas, Regions int
	// Undecided counts the undecidable key policy items by kind
	// (policy.Condition, policy.AccountRoot, policy.NotPrincip), over
	// every copy's policy.
	Undecided map[string]int
	// UnknownPolicies counts the copies whose policy is unknown.
	UnknownPolicies int
}

// Count totals what Render writes for inv.
func (inv *Inventory) Count() Counts {
	c := Counts{Undecided: map[string]int{}, Keys: len(inv.Keys), Regions: len(inv.Regions())}
	for _, k := range inv.Keys {
		if k.PrimaryUnknown != "" {
			c.Copies++
			c.UnknownPolicies++
		}
		for _, cp := range k.Copies() {
			c.Copies++
			if cp.Policy == nil {
				c.UnknownPolicies++
				continue
			}
			for kind, n := range cp.Policy.Undecided {
				c.Undecided[kind] += n
			}
		}
	}
	for _, b := range inv.liveBuckets() {
		c.Buckets++
		for _, r := range b.Rules {
			if ok, _ := r.writable(b.Region); ok {
				c.Rules++
			}
		}
	}
	for _, t := range inv.liveTables() {
		c.Tables++
		c.TableReplicas += len(t.Replicas)
	}
	return c
}

// Fill is what a file of the user's that extends the import (the overlay)
// fills in, for the summary's "to fill in" line.
type Fill struct {
	// Overlay names the file.
	Overlay string
	// Left are the key paths of the placeholders still to fill in once it
	// is loaded on top of the import (its own left unfilled included).
	Left []string
}

// Summary writes the import summary of inv, rendered as r, for a human:
// what was imported, the placeholders left to fill in (what fill, when not
// nil, leaves), the key policy items drsim could not decide, what was not
// imported (each unsupported type once, with its addresses; data sources
// apart) and the warnings. Long lists are cut (Summarize): the imported
// file's header holds every warning.
func Summary(w io.Writer, inv *Inventory, r *Rendered, fill *Fill) {
	c := inv.Count()
	fmt.Fprintf(w, "drsim import: %s %s\n", inv.Kind, strings.Join(inv.Inputs, ", "))
	fmt.Fprintf(w, "  imported: %s (%s), %s (%s), %s (%s) in %s\n",
		Plural(c.Keys, "key"), Plural(c.Copies, "copy"), Plural(c.Buckets, "bucket"), Plural(c.Rules, "replication rule"),
		Plural(c.Tables, "table"), Plural(c.TableReplicas, "replica"), Plural(c.Regions, "region"))
	var paths []string
	for _, h := range r.Placeholders {
		paths = append(paths, h.Path())
	}
	if fill == nil {
		fmt.Fprintf(w, "  to fill in: %s: %s\n", Plural(len(paths), "placeholder"), Summarize(paths, maxListed))
	} else {
		filled := 0
		for _, p := range paths {
			if !slices.Contains(fill.Left, p) {
				filled++
			}
		}
		left := "none left"
		if len(fill.Left) > 0 {
			left = fmt.Sprintf("%d left: %s", len(fill.Left), Summarize(fill.Left, maxListed))
		}
		fmt.Fprintf(w, "  to fill in: %s, of which %s sets %d; %s\n", Plural(len(paths), "placeholder"), fill.Overlay, filled, left)
	}
	total := 0
	var kinds []string
	for _, k := range []string{policy.Condition, policy.AccountRoot, policy.NotPrincip} {
		if n := c.Undecided[k]; n > 0 {
			total += n
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	if total > 0 {
		fmt.Fprintf(w, "  key policies: %d undecidable (%s), marked \"undecided\" in the file\n", total, strings.Join(kinds, ", "))
	}
	if c.UnknownPolicies > 0 {
		fmt.Fprintf(w, "  key policies: unknown for %s, left to fill in\n", Plural(c.UnknownPolicies, "copy"))
	}
	us := append([]*Unsupported(nil), inv.Unsupported...)
	sort.Slice(us, func(i, j int) bool { return us[i].Type < us[j].Type })
	for _, data := range []bool{false, true} {
		title := "  not imported (types drsim does not model):\n"
		if data {
			title = "  data sources (read by Terraform, not infrastructure: not imported):\n"
		}
		for _, u := range us {
			if strings.HasPrefix(u.Type, "data.") != data {
				continue
			}
			fmt.Fprint(w, title)
			title = ""
			fmt.Fprintf(w, "    %s (%d): %s\n", u.Type, len(u.Addresses), Summarize(u.Addresses, maxListed))
		}
	}
	if len(inv.Warnings) > 0 {
		fmt.Fprintf(w, "  warnings:\n")
		for i, m := range inv.Warnings {
			if i == maxWarnings && len(inv.Warnings) > maxWarnings+1 {
				fmt.Fprintf(w, "    - … and %s more (the imported file's header lists them all)\n", thousands(len(inv.Warnings)-maxWarnings))
				break
			}
			fmt.Fprintf(w, "    - %s\n", m)
		}
	}
}

// How much of a long list the summary shows.
const (
	maxListed   = 20
	maxWarnings = 50
)

// Summarize joins items with ", ", the first max of them when there are
// more, followed by "… and N more".
func Summarize(items []string, max int) string {
	if len(items) <= max+1 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(", … and %s more", thousands(len(items)-max))
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Plural writes "1 key", "2 keys", "3 copies".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	switch {
	case strings.HasSuffix(what, "copy"):
		what = strings.TrimSuffix(what, "y") + "ies"
	default:
		what += "s"
	}
	return fmt.Sprintf("%s %s", thousands(n), what)
}
