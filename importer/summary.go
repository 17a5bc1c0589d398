package importer

import (
	"fmt"
	"io"
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
			if ok, _ := r.writable(); ok {
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

// Summary writes the import summary of inv, rendered as r, for a human:
// what was imported, the placeholders left to fill in, the key policy
// items drsim could not decide, what was not imported (each unsupported
// type once, with its addresses) and the warnings.
func Summary(w io.Writer, inv *Inventory, r *Rendered) {
	c := inv.Count()
	fmt.Fprintf(w, "drsim import: %s %s\n", inv.Kind, strings.Join(inv.Inputs, ", "))
	fmt.Fprintf(w, "  imported: %s (%s), %s (%s), %s (%s) in %s\n",
		plural(c.Keys, "key"), plural(c.Copies, "copy"), plural(c.Buckets, "bucket"), plural(c.Rules, "replication rule"),
		plural(c.Tables, "table"), plural(c.TableReplicas, "replica"), plural(c.Regions, "region"))
	var paths []string
	for _, h := range r.Placeholders {
		paths = append(paths, h.Path())
	}
	fmt.Fprintf(w, "  to fill in: %s: %s\n", plural(len(paths), "placeholder"), strings.Join(paths, ", "))
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
		fmt.Fprintf(w, "  key policies: unknown for %s, left to fill in\n", plural(c.UnknownPolicies, "copy"))
	}
	if len(inv.Unsupported) > 0 {
		us := append([]*Unsupported(nil), inv.Unsupported...)
		sort.Slice(us, func(i, j int) bool { return us[i].Type < us[j].Type })
		fmt.Fprintf(w, "  not imported (types drsim does not model):\n")
		for _, u := range us {
			fmt.Fprintf(w, "    %s (%d): %s\n", u.Type, len(u.Addresses), strings.Join(u.Addresses, ", "))
		}
	}
	if len(inv.Warnings) > 0 {
		fmt.Fprintf(w, "  warnings:\n")
		for _, m := range inv.Warnings {
			fmt.Fprintf(w, "    - %s\n", m)
		}
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	switch {
	case strings.HasSuffix(what, "copy"):
		what = strings.TrimSuffix(what, "y") + "ies"
	default:
		what += "s"
	}
	return fmt.Sprintf("%d %s", n, what)
}
