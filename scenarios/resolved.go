package scenarios

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/drsim/drsim/model"
)

// Resolved is a scenario as drsim simulates it: the file on top of what it
// extends, then every override, validated. Config and Locator are what
// Resolve and ResolveLocated return for the same file; Overrides are the
// overrides applied, in order. A Resolved is read-only: With returns a new
// one.
type Resolved struct {
	Config    *model.Config
	Locator   model.Locator
	Overrides []Override

	top, file string
	// tree is the merged tree with the overrides applied, idx where each
	// of its values was written; neither is modified once resolved.
	tree map[string]any
	idx  posIndex
}

// WithOverrides applies the overrides, in order, to the merged tree of the
// scenario (after extends, before it is validated): see Override.
func WithOverrides(ov ...Override) Option {
	return func(o *options) { o.overrides = append(o.overrides, ov...) }
}

// Open loads arg as Resolve does (a file if one exists there or arg ends
// in ".toml", else a bundled name), with the options of Load and
// WithOverrides. Problems with the scenario or an override are returned
// together as an ErrorList; an override's errors are positioned on its
// argument ("--set #2:13").
func Open(arg string, opts ...Option) (*Resolved, error) {
	st, statErr := os.Stat(arg)
	if statErr == nil && !st.IsDir() {
		return openFile(arg, opts...)
	}
	stem := strings.TrimSuffix(arg, ".toml")
	_, bundled := bundledPaths()[stem]
	isPath := strings.ContainsAny(arg, `/\`)
	if strings.HasSuffix(arg, ".toml") || isPath {
		if statErr != nil && bundled && !isPath {
			return nil, fmt.Errorf("scenarios: no file %q (the bundled scenario of that name runs as %q)", arg, stem)
		}
		return openFile(arg, opts...)
	}
	if bundled {
		return openBundled(stem, applyOptions(opts).overrides)
	}
	return nil, fmt.Errorf("scenarios: no file %q and no bundled scenario %q%s; bundled: %s",
		arg, arg, suggest(arg, bundledNames(false)), strings.Join(bundledNames(false), ", "))
}

// resolve applies overrides to the merged tree (consumed) and decodes it;
// prior are the loader's errors.
func resolve(top, file string, tree map[string]any, idx posIndex, overrides []Override, prior ErrorList) (*Resolved, error) {
	overrides = append([]Override(nil), overrides...)
	errs := append(ErrorList(nil), prior...)
	for i := range overrides {
		if overrides[i].segs == nil {
			o, perrs := parseOverride(overrides[i].Source, overrides[i].String())
			if len(perrs) > 0 {
				errs = append(errs, perrs...)
				continue
			}
			overrides[i] = o
		}
		if err := applyOverride(tree, idx, &overrides[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > len(prior) {
		return nil, sortErrors(errs)
	}
	d := &decoder{top: top, idx: idx}
	c := d.decode(tree)
	d.checkLimits(c)
	if d.dropped > 0 {
		d.errs = append(d.errs, &Error{File: top, Msg: fmt.Sprintf("%d more errors not shown (the first %d are)", d.dropped, maxErrors)})
	}
	if errs = append(errs, d.errs...); len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	c.File = file
	return &Resolved{
		Config:    c,
		Locator:   locator{top: top, idx: idx},
		Overrides: overrides,
		top:       top,
		file:      file,
		tree:      tree,
		idx:       idx,
	}, nil
}

// With returns the scenario with more overrides applied after r's (a
// point of a sweep). r is not changed.
func (r *Resolved) With(more ...Override) (*Resolved, error) {
	tree := copyTree(r.tree).(map[string]any)
	idx := make(posIndex, len(r.idx))
	for k, v := range r.idx {
		idx[k] = v
	}
	next, err := resolve(r.top, r.file, tree, idx, more, nil)
	if err != nil {
		return nil, err
	}
	next.Overrides = append(append([]Override(nil), r.Overrides...), next.Overrides...)
	return next, nil
}

// TOML returns the resolved scenario as one self-contained TOML document:
// the merged tree of the file and what it extends (extends itself left
// out), with every override applied, keys sorted, and a comment saying
// where it came from. Parsing it gives a Config equal to r.Config but for
// File (the name it is parsed under). It is what a shard's partial result
// embeds, so that a merge can compute the cost and replay a trial without
// the original files.
func (r *Resolved) TOML() ([]byte, error) {
	tree := make(map[string]any, len(r.tree))
	for k, v := range r.tree {
		if k != "extends" {
			tree[k] = v
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The resolved scenario %s from %s: merged with what it extends", oneLine(r.Config.Name), oneLine(r.file))
	if len(r.Overrides) == 0 {
		b.WriteString(", no override.\n")
	} else {
		b.WriteString(", then these overrides, in order:\n")
		for _, o := range r.Overrides {
			fmt.Fprintf(&b, "#   %s %s\n", oneLine(o.Source), oneLine(o.String()))
		}
	}
	if err := toml.NewEncoder(&b).Encode(tree); err != nil {
		return nil, fmt.Errorf("scenarios: encoding the resolved scenario: %w", err)
	}
	return b.Bytes(), nil
}

// oneLine keeps s on one comment line: control characters, which a TOML
// comment may not hold, are escaped.
func oneLine(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		q := strconv.Quote(s)
		return q[1 : len(q)-1]
	}
	return s
}
