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
	// Bases are the paths of the files the scenario extends, directly or
	// through its bases, in the order extends names them: the files read
	// from disk (or through Parse's readExtends) besides the scenario's
	// own; bundled bases are not listed. A command that writes files
	// refuses to overwrite any of them. Empty when nothing is extended.
	Bases []string

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
	if statErr == nil && (isPath || !bundled) {
		return nil, fmt.Errorf("scenarios: %s is a folder; want a scenario file (.toml) or a bundled scenario's name", arg)
	}
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
// prior are the loader's errors. Every error is reported at once: those of
// the overrides (a path that selects nothing) and those of the decoder,
// run on the tree with the overrides that applied. A decoder error that
// the overrides caused but that is positioned in a file (a step renamed
// by --set that another step's after still names) is moved to the
// override that caused it (see attribute).
func resolve(top, file string, tree map[string]any, idx posIndex, overrides []Override, prior ErrorList) (*Resolved, error) {
	overrides = append([]Override(nil), overrides...)
	errs := append(ErrorList(nil), prior...)
	var pre *snapshot
	if len(overrides) > 0 {
		pre = &snapshot{tree: copyTree(tree).(map[string]any), idx: copyIndex(idx)}
	}
	applied := make([]bool, len(overrides))
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
			continue
		}
		applied[i] = true
	}
	c, derrs := decodeTree(top, tree, idx)
	if len(derrs) > 0 && pre != nil {
		derrs = attribute(top, pre, overrides, applied, derrs)
	}
	if errs = append(errs, derrs...); len(errs) > 0 {
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
	idx := copyIndex(r.idx)
	next, err := resolve(r.top, r.file, tree, idx, more, nil)
	if err != nil {
		return nil, err
	}
	next.Overrides = append(append([]Override(nil), r.Overrides...), next.Overrides...)
	next.Bases = r.Bases
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

// Canonical returns the key path o sets, resolved in r's tree: every key
// bare when it can be (else quoted), every selector an index ([approve]
// and [name=approve] become the step's [i]). Two overrides set the same
// value of r exactly when their canonical paths are equal, and one sets a
// value inside the other's when its canonical path extends the other's
// ("failover.steps[0]" holds "failover.steps[0].duration"). A selector
// that selects nothing in r is kept as written (applying o reports it).
func (r *Resolved) Canonical(o Override) string {
	segs := o.segs
	if segs == nil {
		p, errs := parseOverride(o.Source, o.String())
		if len(errs) > 0 {
			return o.Path
		}
		segs = p.segs
	}
	var b strings.Builder
	var cur any = r.tree
	for si, seg := range segs {
		if si > 0 {
			b.WriteByte('.')
		}
		b.WriteString(QuoteKey(seg.key))
		m, _ := cur.(map[string]any)
		cur = m[seg.key] // nil when m is nil or lacks the key
		for _, sel := range seg.sels {
			arr, _ := asArray(cur)
			i := sel.index
			if sel.byName {
				i = -1
				for j, e := range arr {
					if t, ok := e.(map[string]any); ok && t["name"] == sel.name {
						i = j
						break
					}
				}
			}
			if i < 0 || i >= len(arr) {
				b.WriteString(sel.text)
				cur = nil
				continue
			}
			fmt.Fprintf(&b, "[%d]", i)
			cur = arr[i]
		}
	}
	return b.String()
}

// PathWithin reports whether the canonical path inner is outer or a value
// inside it: "failover.steps[0].duration" is within "failover.steps[0]"
// and "failover.steps", not within "failover.step".
func PathWithin(inner, outer string) bool {
	if inner == outer {
		return true
	}
	if !strings.HasPrefix(inner, outer) {
		return false
	}
	c := inner[len(outer)]
	return c == '.' || c == '['
}

// snapshot is a merged tree and its positions before the overrides.
type snapshot struct {
	tree map[string]any
	idx  posIndex
}

func copyIndex(idx posIndex) posIndex {
	out := make(posIndex, len(idx))
	for k, v := range idx {
		out[k] = v
	}
	return out
}

// decodeTree decodes a merged tree (not modified) into a Config and its
// errors.
func decodeTree(top string, tree map[string]any, idx posIndex) (*model.Config, ErrorList) {
	d := &decoder{top: top, idx: idx}
	c := d.decode(tree)
	d.checkLimits(c)
	if d.dropped > 0 {
		d.errs = append(d.errs, &Error{File: top, Msg: fmt.Sprintf("%d more errors not shown (the first %d are)", d.dropped, maxErrors)})
	}
	return c, d.errs
}

// errKey identifies an error across two decodings of similar trees.
func errKey(e *Error) string { return e.Path + "\x00" + e.Msg }

// attribute moves to the override that caused it every decoder error that
// is positioned in a file but that the file without the overrides does not
// have: the error then reads "--set #1:27: failover.steps[1].after: ...
// (at snowy.toml:70:10, after this override)". The culprit is the first
// override that gives the error when applied alone to the file, else the
// last one applied. Errors positioned on an override, and the file's own
// errors, stay as they are. It runs only when there are errors.
func attribute(top string, pre *snapshot, overrides []Override, applied []bool, errs ErrorList) ErrorList {
	sources := map[string]bool{}
	for _, o := range overrides {
		sources[o.Source] = true
	}
	decodeKeys := func(tree map[string]any, idx posIndex) map[string]bool {
		_, es := decodeTree(top, tree, idx)
		keys := make(map[string]bool, len(es))
		for _, e := range es {
			keys[errKey(e)] = true
		}
		return keys
	}
	var own map[string]bool
	alone := make([]map[string]bool, len(overrides))
	out := make(ErrorList, 0, len(errs))
	for _, e := range errs {
		if sources[e.File] || e.Line == 0 && e.Col == 0 {
			out = append(out, e)
			continue
		}
		if own == nil {
			own = decodeKeys(copyTree(pre.tree).(map[string]any), copyIndex(pre.idx))
		}
		if own[errKey(e)] {
			out = append(out, e)
			continue
		}
		culprit := -1
		for i := range overrides {
			if !applied[i] {
				continue
			}
			if alone[i] == nil {
				tree, idx := copyTree(pre.tree).(map[string]any), copyIndex(pre.idx)
				if applyOverride(tree, idx, &overrides[i]) != nil {
					alone[i] = map[string]bool{}
				} else {
					alone[i] = decodeKeys(tree, idx)
				}
			}
			if alone[i][errKey(e)] {
				culprit = i
				break
			}
			culprit = i // the last applied, unless one gives it alone
		}
		if culprit < 0 {
			out = append(out, e)
			continue
		}
		o := &overrides[culprit]
		out = append(out, &Error{File: o.Source, Col: o.valueCol, Path: e.Path,
			Msg: fmt.Sprintf("%s (at %s, after this override)", e.Msg, strings.TrimSuffix(e.location(), ": "))})
	}
	return out
}
