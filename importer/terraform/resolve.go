package terraform

import (
	"slices"
	"sort"
	"strings"
)

// target is what a reference resolves to: a resource instance, or a value
// (a constant, a variable's value).
type target struct {
	inst     *instance
	value    any
	hasValue bool
}

// resolve follows an expression of the configuration module s (instance
// address module) to what it refers to: resources of that module, values of
// variables (the root module's from the plan's variables, a child's from
// the caller's argument), and module outputs. Locals, each, count and path
// are not in the plan's JSON and resolve to nothing.
func (d *decoder) resolve(s *scope, module string, e expression, depth int) []target {
	if len(e.refs) == 0 {
		if e.hasConstant {
			return []target{{value: e.constant, hasValue: true}}
		}
		return nil
	}
	if depth > maxModuleDepth {
		return nil
	}
	var out []target
	seen := map[*instance]bool{}
	add := func(ts []target) {
		for _, t := range ts {
			if t.inst != nil {
				if seen[t.inst] {
					continue
				}
				seen[t.inst] = true
			}
			out = append(out, t)
		}
	}
	for _, ref := range e.refs {
		root, rest, _ := strings.Cut(ref, ".")
		switch root {
		case "var":
			name, _, _ := splitStep(rest)
			add(d.variable(s, module, name, depth))
		case "module":
			name, key, after := splitStep(rest)
			out, _, _ := strings.Cut(strings.TrimPrefix(after, "."), ".")
			out, _, _ = splitStep(out)
			if out == "" || s == nil {
				continue
			}
			child := s.child(name)
			if child == nil || child.mod.Outputs[out] == nil {
				continue
			}
			cm := d.childInstance(module, name, key)
			oe, ok := parseExpr(child.mod.Outputs[out].Expression)
			if ok {
				add(d.resolve(child, cm, oe, depth+1))
			}
		case "local", "each", "count", "path", "terraform", "self":
		default:
			var addr string
			if root == "data" {
				typ, r2, _ := strings.Cut(rest, ".")
				name, key, _ := splitStep(r2)
				addr = "data." + typ + "." + name + key
			} else {
				name, key, _ := splitStep(rest)
				addr = root + "." + name + key
			}
			if module != "" {
				addr = module + "." + addr
			}
			if in := d.instanceAt(addr); in != nil {
				add([]target{{inst: in}})
			}
		}
	}
	return out
}

// instanceAt returns the instance at addr, or the only instance of a
// resource with count or for_each when addr has no key.
func (d *decoder) instanceAt(addr string) *instance {
	if in := d.byAddr[addr]; in != nil {
		return in
	}
	var found *instance
	for a, in := range d.byAddr {
		if strings.HasPrefix(a, addr+"[") && !strings.Contains(a[len(addr):], ".") {
			if found != nil {
				return nil // several instances: ambiguous
			}
			found = in
		}
	}
	return found
}

// variable resolves var.name in scope s.
func (d *decoder) variable(s *scope, module, name string, depth int) []target {
	if s == nil || s.parent == nil {
		if v := d.doc.Variables[name]; v != nil {
			return []target{{value: v.Value, hasValue: true}}
		}
	} else if call := s.parent.mod.ModuleCalls[s.call]; call != nil && call.Expressions[name] != nil {
		if e, ok := parseExpr(call.Expressions[name]); ok {
			return d.resolve(s.parent, parentModule(module), e, depth+1)
		}
	}
	if s != nil && s.mod.Variables[name] != nil && s.mod.Variables[name].Default != nil {
		return []target{{value: s.mod.Variables[name].Default, hasValue: true}}
	}
	return nil
}

// childInstance returns the instance address of module call name (with key)
// under module; without a key, the only instance of that call when it has
// count or for_each.
func (d *decoder) childInstance(module, name, key string) string {
	base := "module." + name
	if module != "" {
		base = module + "." + base
	}
	if key != "" {
		return base + key
	}
	var found string
	for _, in := range d.insts {
		m := in.module
		if m == base || strings.HasPrefix(m, base+".") {
			return base
		}
		if strings.HasPrefix(m, base+"[") {
			inst := m
			if i := strings.Index(m[len(base):], "."); i >= 0 {
				inst = m[:len(base)+i]
			}
			if found != "" && found != inst {
				return base
			}
			found = inst
		}
	}
	if found != "" {
		return found
	}
	return base
}

// parentModule strips the last module step of a module instance address.
func parentModule(module string) string {
	segs := moduleSegments(module)
	if len(segs) == 0 {
		return ""
	}
	var b strings.Builder
	for i, s := range segs[:len(segs)-1] {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module." + s.name + s.key)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// origins follows an expression of module s (instance address module) back
// through module calls (var.X to the caller's argument, module.M.OUT to
// the output's expression) and returns where its value comes from when
// drsim cannot know it: the data sources and resource attributes it reads
// (as full addresses, module.west.data.aws_iam_policy_document.replica.json),
// and the locals, for_each values and variables without a value it uses
// ("each.value.policy (in the root module)", the module named when it is
// not the expression's own). A reference Terraform lists
// twice, with and without the attribute, is named once, with it.
func (d *decoder) origins(s *scope, module string, e expression) []string {
	return d.originsFrom(module, s, module, e, 0)
}

// originsFrom is origins for an expression of module, followed from module
// from: a local or a variable of another module than from says which.
func (d *decoder) originsFrom(from string, s *scope, module string, e expression, depth int) []string {
	var out []string
	if depth > maxModuleDepth {
		return nil
	}
	add := func(xs ...string) {
		for _, x := range xs {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	where := ""
	switch {
	case module == from:
	case module == "":
		where = " (in the root module)"
	default:
		where = " (in " + module + ")"
	}
	for _, ref := range longestRefs(e.refs) {
		root, rest, _ := strings.Cut(ref, ".")
		switch root {
		case "var":
			name, _, _ := splitStep(rest)
			switch {
			case s != nil && s.parent != nil && s.parent.mod.ModuleCalls[s.call] != nil && s.parent.mod.ModuleCalls[s.call].Expressions[name] != nil:
				if ce, ok := parseExpr(s.parent.mod.ModuleCalls[s.call].Expressions[name]); ok {
					if len(ce.refs) == 0 {
						add("var." + name + where)
					}
					add(d.originsFrom(from, s.parent, parentModule(module), ce, depth+1)...)
				}
			case (s == nil || s.parent == nil) && d.doc.Variables[name] != nil:
				// a root variable with a value: known
			default:
				add("var." + name + where)
			}
		case "module":
			name, key, after := splitStep(rest)
			outName, _, _ := strings.Cut(strings.TrimPrefix(after, "."), ".")
			outName, _, _ = splitStep(outName)
			child := s.child(name)
			if child == nil || child.mod.Outputs[outName] == nil {
				add(ref + where)
				continue
			}
			if oe, ok := parseExpr(child.mod.Outputs[outName].Expression); ok {
				add(d.originsFrom(from, child, d.childInstance(module, name, key), oe, depth+1)...)
			}
		case "local", "each", "count", "path", "terraform", "self":
			add(ref + where)
		default:
			if module != "" {
				ref = module + "." + ref
			}
			add(ref)
		}
	}
	return out
}

// longestRefs drops each reference that another one extends (Terraform
// lists "data.x.y.json" and "data.x.y"), keeping the order.
func longestRefs(refs []string) []string {
	var out []string
	for i, r := range refs {
		extended := false
		for j, o := range refs {
			if i != j && strings.HasPrefix(o, r) && len(o) > len(r) && (o[len(r)] == '.' || o[len(r)] == '[') {
				extended = true
			}
		}
		if !extended && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// managedRef reports whether an origin (see origins) is an attribute of a
// managed resource, which apply sets (an ARN), rather than a data source, a
// local, a for_each value or a variable.
func managedRef(origin string) bool {
	for rest := origin; ; {
		root, after, _ := strings.Cut(rest, ".")
		switch root {
		case "module":
			_, _, after = splitStep(after)
			rest = strings.TrimPrefix(after, ".")
			continue
		case "data", "local", "each", "count", "path", "terraform", "self", "var":
			return false
		}
		return true
	}
}
