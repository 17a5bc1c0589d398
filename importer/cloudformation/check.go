package cloudformation

import (
	"fmt"
	"slices"
	"strings"
)

// pseudoParameters are the names Ref and ${} accept besides resources and
// parameters (CloudFormation User Guide, "Pseudo parameters reference").
var pseudoParameters = []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

// check walks a whole template, whether drsim reads the value or not, for
// what CloudFormation itself rejects: unknown tags, and Ref, Fn::GetAtt and
// Fn::Sub names that name no resource, parameter or pseudo parameter.
func (d *decoder) check(t *template, n *node, path string, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	fn, arg, at := "", n, n.pos
	if n.tag != "" {
		name, ok := intrinsics[n.tag]
		if !ok {
			d.errAt(t, n.pos, path, "unknown tag %s%s", n.tag, suggestFrom(n.tag, tagNames()))
			return
		}
		fn = name
	} else if n.kind == mapping && len(n.keys) == 1 && isIntrinsicKey(n.keys[0]) && path != "Resources."+lastSeg(path)+".Condition" {
		fn, arg, at = n.keys[0], n.vals[0], n.kpos[0]
	}
	switch fn {
	case "Ref":
		if arg.kind == scalar && !d.named(t, arg.value) {
			d.errAt(t, at, path, "Ref %s: no resource or parameter %s%s", arg.value, arg.value, suggestFrom(arg.value, d.names(t)))
		}
		return
	case "Fn::GetAtt":
		logical := ""
		switch {
		case arg.kind == scalar:
			logical, _, _ = strings.Cut(arg.value, ".")
		case arg.kind == sequence && len(arg.items) > 0 && arg.items[0].kind == scalar:
			logical = arg.items[0].value
		}
		if logical != "" && t.resources[logical] == nil {
			attr := ""
			if arg.kind == scalar {
				_, attr, _ = strings.Cut(arg.value, ".")
			} else if len(arg.items) > 1 && arg.items[1].kind == scalar {
				attr = arg.items[1].value
			}
			d.errAt(t, at, path, "Fn::GetAtt %s.%s: no resource %s%s", logical, attr, logical, suggestFrom(logical, t.order))
		}
	case "Fn::Sub":
		tmpl, vars := arg, map[string]bool{}
		if arg.kind == sequence && len(arg.items) == 2 {
			tmpl = arg.items[0]
			for _, k := range arg.items[1].keysOrNil() {
				vars[k] = true
			}
		}
		if tmpl.kind == scalar {
			for _, name := range subNames(tmpl.value) {
				logical, _, dot := strings.Cut(name, ".")
				if vars[name] || d.named(t, name) || dot && t.resources[logical] != nil {
					continue
				}
				d.errAt(t, at, path, "Fn::Sub ${%s}: no resource, parameter or variable %s%s", name, name, suggestFrom(name, d.names(t)))
			}
		}
	}
	for i, k := range n.keys {
		d.check(t, n.vals[i], joinPath(path, k), depth+1)
	}
	for i, it := range n.items {
		d.check(t, it, fmt.Sprintf("%s[%d]", path, i), depth+1)
	}
}

func joinPath(base, k string) string {
	if base == "" {
		return k
	}
	return base + "." + k
}

func lastSeg(p string) string {
	parts := strings.Split(p, ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

// named reports whether Ref name is valid in t.
func (d *decoder) named(t *template, name string) bool {
	if t.resources[name] != nil || t.root.get("Parameters").get(name) != nil {
		return true
	}
	for _, p := range pseudoParameters {
		if p == name {
			return true
		}
	}
	return false
}

func (d *decoder) names(t *template) []string {
	return append(append(append([]string(nil), t.order...), t.root.get("Parameters").keysOrNil()...), pseudoParameters...)
}

// subNames lists the ${} names of an Fn::Sub string (not the ${!literals}).
func subNames(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return out
		}
		if name := s[i+2 : i+j]; !strings.HasPrefix(name, "!") {
			out = append(out, name)
		}
		s = s[i+j+1:]
	}
}

// checkCycles reports a circular dependency between the resources of t, as
// CloudFormation refuses such a template ("Circular dependency between
// resources"): a resource that refers to another (Ref, Fn::GetAtt, a ${}
// of Fn::Sub, DependsOn) depends on it.
func (d *decoder) checkCycles(t *template) {
	deps := map[string][]string{}
	for _, l := range t.order {
		decl := t.root.get("Resources").get(l)
		var out []string
		add := func(name string) {
			if t.resources[name] != nil && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		var walk func(n *node, depth int)
		walk = func(n *node, depth int) {
			if n == nil || depth > maxDepth {
				return
			}
			fn, arg := intrinsics[n.tag], n
			if n.tag == "" && n.kind == mapping && len(n.keys) == 1 && isIntrinsicKey(n.keys[0]) {
				fn, arg = n.keys[0], n.vals[0]
			}
			switch {
			case fn == "Ref" && arg.kind == scalar:
				add(arg.value)
			case fn == "Fn::GetAtt" && arg.kind == scalar:
				logical, _, _ := strings.Cut(arg.value, ".")
				add(logical)
			case fn == "Fn::GetAtt" && arg.kind == sequence && len(arg.items) > 0 && arg.items[0].kind == scalar:
				add(arg.items[0].value)
			case fn == "Fn::Sub":
				tmpl := arg
				if arg.kind == sequence && len(arg.items) > 0 {
					tmpl = arg.items[0]
				}
				if tmpl.kind == scalar {
					for _, name := range subNames(tmpl.value) {
						logical, _, _ := strings.Cut(name, ".")
						add(logical)
					}
				}
			}
			for _, v := range n.vals {
				walk(v, depth+1)
			}
			for _, v := range n.items {
				walk(v, depth+1)
			}
		}
		walk(decl.get("Properties"), 0)
		if on := decl.get("DependsOn"); on != nil {
			if on.kind == scalar {
				add(on.value)
			}
			for _, it := range on.items {
				if it.kind == scalar {
					add(it.value)
				}
			}
		}
		deps[l] = out
	}
	// Depth-first search in file order; a resource met again while on the
	// current path closes a cycle.
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(l string) bool
	visit = func(l string) bool {
		state[l] = onPath
		path = append(path, l)
		for _, dep := range deps[l] {
			switch state[dep] {
			case onPath:
				i := slices.Index(path, dep)
				cycle := append(slices.Clone(path[i:]), dep)
				r := t.resources[dep]
				d.errAt(t, r.pos, "Resources."+dep, "circular dependency: %s (CloudFormation refuses the template)", strings.Join(cycle, " → "))
				return true
			case unseen:
				if visit(dep) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		state[l] = done
		return false
	}
	for _, l := range t.order {
		if state[l] == unseen && visit(l) {
			return
		}
	}
}
