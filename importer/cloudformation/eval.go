package cloudformation

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Values a template expression evaluates to: nil, bool, float64, string,
// []any, map[string]any, *sym (a string holding references to resources,
// whose values are known only once deployed), unknown (a value drsim cannot
// know statically) or noValue (AWS::NoValue: the property is absent).
type (
	sym struct{ parts []part }
	// part is a literal or a reference.
	part struct {
		lit string
		ref *ref
	}
	// ref is a Ref (attr "") or a Fn::GetAtt of a resource.
	ref struct {
		r    *resource
		attr string
	}
	// unknown is a value known only once deployed; warned is set when a
	// warning already said so at its place.
	unknown struct {
		why    string
		warned bool
	}
	noValue struct{}
)

// intrinsics maps the short-form tags to the functions' names.
var intrinsics = map[string]string{
	"!Ref": "Ref", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!ImportValue": "Fn::ImportValue",
	"!If": "Fn::If", "!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64",
	"!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr", "!Equals": "Fn::Equals", "!And": "Fn::And", "!Or": "Fn::Or",
	"!Not": "Fn::Not", "!Condition": "Condition", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// isIntrinsicKey reports whether a one-key mapping is a function call.
func isIntrinsicKey(k string) bool {
	return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
}

// maxEvalDepth bounds nested evaluation (a resource's name refers to
// another's, conditions refer to conditions).
const maxEvalDepth = 64

// eval evaluates node n of template t; path names it in errors.
func (d *decoder) eval(t *template, n *node, path string, depth int) any {
	if n == nil {
		return nil
	}
	if depth > maxEvalDepth {
		d.errAt(t, n.pos, path, "references nest more than %d deep (a cycle?)", maxEvalDepth)
		return unknown{why: "a reference cycle"}
	}
	if n.tag != "" {
		fn, ok := intrinsics[n.tag]
		if !ok {
			d.errAt(t, n.pos, path, "unknown tag %s%s", n.tag, suggestFrom(n.tag, tagNames()))
			return unknown{why: "an unknown tag"}
		}
		arg := *n
		arg.tag = ""
		return d.call(t, fn, &arg, n.pos, path, depth)
	}
	switch n.kind {
	case null:
		return nil
	case scalar:
		switch n.typ {
		case "bool":
			return n.value == "true"
		case "number":
			if f, err := strconv.ParseFloat(n.value, 64); err == nil {
				return f
			}
		}
		return n.value
	case sequence:
		out := make([]any, 0, len(n.items))
		for i, it := range n.items {
			v := d.eval(t, it, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if _, skip := v.(noValue); !skip {
				out = append(out, v)
			}
		}
		return out
	}
	if len(n.keys) == 1 && isIntrinsicKey(n.keys[0]) {
		return d.call(t, n.keys[0], n.vals[0], n.kpos[0], path, depth)
	}
	out := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		v := d.eval(t, n.vals[i], path+"."+k, depth+1)
		if _, skip := v.(noValue); !skip {
			out[k] = v
		}
	}
	return out
}

// tagNames lists the short-form tags, sorted (for a deterministic
// did-you-mean).
func tagNames() []string {
	out := make([]string, 0, len(intrinsics))
	for k := range intrinsics {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// call evaluates function fn with argument node arg.
func (d *decoder) call(t *template, fn string, arg *node, at pos, path string, depth int) any {
	bad := func(want string) any {
		d.errAt(t, at, path, "%s takes %s", fn, want)
		return unknown{why: "a malformed " + fn}
	}
	switch fn {
	case "Ref":
		if arg.kind != scalar {
			return bad("a logical ID or parameter name")
		}
		return d.ref(t, arg.value, at, path, depth)
	case "Fn::GetAtt":
		var logical, attr string
		switch {
		case arg.kind == scalar:
			logical, attr, _ = strings.Cut(arg.value, ".")
		case arg.kind == sequence && len(arg.items) == 2 && arg.items[0].kind == scalar:
			logical = arg.items[0].value
			a, ok := d.eval(t, arg.items[1], path, depth+1).(string)
			if !ok {
				return unknown{why: "Fn::GetAtt with a computed attribute name"}
			}
			attr = a
		default:
			return bad(`"LogicalId.Attribute" or [LogicalId, Attribute]`)
		}
		r := t.resources[logical]
		if r == nil || attr == "" {
			d.errAt(t, at, path, "Fn::GetAtt %s.%s: no resource %s%s", logical, attr, logical, suggestFrom(logical, t.order))
			return unknown{why: "an unresolved Fn::GetAtt"}
		}
		return &sym{parts: []part{{ref: &ref{r: r, attr: attr}}}}
	case "Fn::Sub":
		var tmpl *node
		vars := map[string]any{}
		switch {
		case arg.kind == scalar:
			tmpl = arg
		case arg.kind == sequence && len(arg.items) == 2 && arg.items[0].kind == scalar && arg.items[1].kind == mapping:
			tmpl = arg.items[0]
			for i, k := range arg.items[1].keys {
				vars[k] = d.eval(t, arg.items[1].vals[i], path+"."+k, depth+1)
			}
		default:
			return bad("a string, or [string, {name: value}]")
		}
		return d.sub(t, tmpl.value, vars, at, path, depth)
	case "Fn::Join":
		if arg.kind != sequence || len(arg.items) != 2 || arg.items[0].kind != scalar {
			return bad("[delimiter, [values]]")
		}
		list, ok := d.eval(t, arg.items[1], path, depth+1).([]any)
		if !ok {
			return unknown{why: "Fn::Join of a list drsim cannot evaluate"}
		}
		var parts []part
		for i, v := range list {
			if i > 0 {
				parts = append(parts, part{lit: arg.items[0].value})
			}
			switch x := v.(type) {
			case string:
				parts = append(parts, part{lit: x})
			case *sym:
				parts = append(parts, x.parts...)
			case unknown:
				return x
			default:
				parts = append(parts, part{lit: fmt.Sprint(x)})
			}
		}
		return joinParts(parts)
	case "Fn::Select":
		if arg.kind != sequence || len(arg.items) != 2 {
			return bad("[index, [values]]")
		}
		iv, lv := d.eval(t, arg.items[0], path, depth+1), d.eval(t, arg.items[1], path, depth+1)
		for _, v := range []any{iv, lv} {
			if u, ok := v.(unknown); ok {
				return u
			}
		}
		idx, ok := toIndex(iv)
		list, lok := lv.([]any)
		if !ok || !lok {
			return unknown{why: "Fn::Select of values drsim cannot evaluate"}
		}
		if idx < 0 || idx >= len(list) {
			d.errAt(t, at, path, "Fn::Select index %d is outside the list of %d", idx, len(list))
			return unknown{why: "an Fn::Select out of range"}
		}
		return list[idx]
	case "Fn::Split":
		if arg.kind != sequence || len(arg.items) != 2 || arg.items[0].kind != scalar {
			return bad("[delimiter, string]")
		}
		s, ok := d.eval(t, arg.items[1], path, depth+1).(string)
		if !ok {
			return unknown{why: "Fn::Split of a value known only once deployed"}
		}
		var out []any
		for _, p := range strings.Split(s, arg.items[0].value) {
			out = append(out, p)
		}
		return out
	case "Fn::FindInMap":
		if arg.kind != sequence || len(arg.items) < 3 {
			return bad("[MapName, TopLevelKey, SecondLevelKey]")
		}
		var keys []string
		for _, it := range arg.items[:3] {
			s, ok := d.eval(t, it, path, depth+1).(string)
			if !ok {
				return unknown{why: "Fn::FindInMap with a key drsim cannot evaluate"}
			}
			keys = append(keys, s)
		}
		v := t.root.get("Mappings").get(keys[0]).get(keys[1]).get(keys[2])
		if v == nil {
			d.errAt(t, at, path, "Fn::FindInMap: Mappings has no %s.%s.%s", keys[0], keys[1], keys[2])
			return unknown{why: "an unresolved Fn::FindInMap"}
		}
		return d.eval(t, v, path, depth+1)
	case "Fn::If":
		if arg.kind != sequence || len(arg.items) != 3 || arg.items[0].kind != scalar {
			return bad("[ConditionName, value if true, value if false]")
		}
		c, known := d.condition(t, arg.items[0].value, arg.items[0].pos, path, depth+1)
		if !known {
			return unknown{why: fmt.Sprintf("Fn::If on condition %s, which depends on values known only once deployed", arg.items[0].value)}
		}
		if c {
			return d.eval(t, arg.items[1], path, depth+1)
		}
		return d.eval(t, arg.items[2], path, depth+1)
	case "Fn::ImportValue":
		name, ok := d.eval(t, arg, path, depth+1).(string)
		if !ok {
			return unknown{why: "Fn::ImportValue of a name drsim cannot evaluate"}
		}
		for _, o := range d.templates {
			// Exports are regional: a stack imports those of its own region.
			if e := o.exports[name]; e != nil && o.region == t.region {
				return d.eval(o, e, "Outputs (export "+name+")", depth+1)
			}
		}
		d.inv.Warn("%s:%d:%d: %s: Fn::ImportValue %q: no template given for %s exports it (exports are regional; import the exporting stack's template too): what it names is left to fill in", t.file, at.line, at.col, path, name, t.region)
		return unknown{why: fmt.Sprintf("Fn::ImportValue %q, which no template given for %s exports", name, t.region), warned: true}
	case "Fn::Base64":
		if s, ok := d.eval(t, arg, path, depth+1).(string); ok {
			return base64.StdEncoding.EncodeToString([]byte(s))
		}
		return unknown{why: "Fn::Base64 of a value known only once deployed"}
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
		v, known := d.condValue(t, fn, arg, path, depth)
		if !known {
			return unknown{why: fn + " that depends on values known only once deployed"}
		}
		return v
	}
	return unknown{why: fn + " is not evaluated by drsim"}
}

// ref evaluates Ref name.
func (d *decoder) ref(t *template, name string, at pos, path string, depth int) any {
	switch name {
	case "AWS::Region":
		return t.region
	case "AWS::Partition":
		return "aws"
	case "AWS::URLSuffix":
		return "amazonaws.com"
	case "AWS::StackName":
		return t.stack
	case "AWS::AccountId":
		return accountToken
	case "AWS::NoValue":
		return noValue{}
	case "AWS::StackId", "AWS::NotificationARNs":
		return unknown{why: name + " is known only once deployed"}
	}
	if r := t.resources[name]; r != nil {
		return &sym{parts: []part{{ref: &ref{r: r}}}}
	}
	if p := t.root.get("Parameters").get(name); p != nil {
		def := p.get("Default")
		if def == nil {
			return unknown{why: fmt.Sprintf("parameter %s has no Default", name)}
		}
		v := d.eval(t, def, "Parameters."+name+".Default", depth+1)
		if typ := p.get("Type"); typ != nil && typ.kind == scalar && (strings.HasPrefix(typ.value, "List<") || typ.value == "CommaDelimitedList") {
			if s, ok := v.(string); ok {
				var out []any
				for _, e := range strings.Split(s, ",") {
					out = append(out, strings.TrimSpace(e))
				}
				return out
			}
		}
		return v
	}
	if strings.HasPrefix(name, "AWS::") {
		d.errAt(t, at, path, "Ref %s: no such pseudo parameter", name)
		return unknown{why: "an unknown pseudo parameter"}
	}
	names := append(append([]string(nil), t.order...), t.root.get("Parameters").keysOrNil()...)
	d.errAt(t, at, path, "Ref %s: no resource or parameter %s%s", name, name, suggestFrom(name, names))
	return unknown{why: "an unresolved Ref"}
}

func (n *node) keysOrNil() []string {
	if n == nil {
		return nil
	}
	return n.keys
}

// accountToken stands for AWS::AccountId in rendered strings: the account
// is not in a template. It holds no ":" so that ARNs keep their fields.
const accountToken = "ACCOUNT-ID"

// sub evaluates Fn::Sub's template string.
func (d *decoder) sub(t *template, s string, vars map[string]any, at pos, path string, depth int) any {
	var parts []part
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			parts = append(parts, part{lit: s})
			break
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			d.errAt(t, at, path, "Fn::Sub: ${ without a closing }")
			return unknown{why: "a malformed Fn::Sub"}
		}
		parts = append(parts, part{lit: s[:i]})
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			parts = append(parts, part{lit: "${" + name[1:] + "}"})
			continue
		}
		var v any
		if val, ok := vars[name]; ok {
			v = val
		} else if logical, attr, dot := strings.Cut(name, "."); dot && t.resources[logical] != nil {
			v = &sym{parts: []part{{ref: &ref{r: t.resources[logical], attr: attr}}}}
		} else {
			v = d.ref(t, name, at, path, depth+1)
		}
		switch x := v.(type) {
		case string:
			parts = append(parts, part{lit: x})
		case *sym:
			parts = append(parts, x.parts...)
		case unknown:
			return x
		default:
			parts = append(parts, part{lit: fmt.Sprint(x)})
		}
	}
	return joinParts(parts)
}

// joinParts returns the parts as a plain string when they hold no
// reference, else as a *sym with adjacent literals merged.
func joinParts(parts []part) any {
	var out []part
	refs := false
	for _, p := range parts {
		if p.ref != nil {
			refs = true
			out = append(out, p)
			continue
		}
		if p.lit == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].ref == nil {
			out[n-1].lit += p.lit
			continue
		}
		out = append(out, p)
	}
	if !refs {
		var b strings.Builder
		for _, p := range out {
			b.WriteString(p.lit)
		}
		return b.String()
	}
	return &sym{parts: out}
}

func toIndex(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		return int(x), x == float64(int(x))
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

// condition evaluates the template's condition name; known is false when
// it depends on values known only once deployed.
func (d *decoder) condition(t *template, name string, at pos, path string, depth int) (value, known bool) {
	c := t.root.get("Conditions").get(name)
	if c == nil {
		d.errAt(t, at, path, "no condition %s%s", name, suggestFrom(name, t.root.get("Conditions").keysOrNil()))
		return false, false
	}
	v, ok := d.eval(t, c, "Conditions."+name, depth+1).(bool)
	return v, ok
}

// condValue evaluates a condition function.
func (d *decoder) condValue(t *template, fn string, arg *node, path string, depth int) (bool, bool) {
	if fn == "Condition" {
		if arg.kind != scalar {
			d.errAt(t, arg.pos, path, "Condition takes a condition name")
			return false, false
		}
		return d.condition(t, arg.value, arg.pos, path, depth)
	}
	if arg.kind != sequence {
		d.errAt(t, arg.pos, path, "%s takes a list", fn)
		return false, false
	}
	var vals []any
	for _, it := range arg.items {
		vals = append(vals, d.eval(t, it, path, depth+1))
	}
	switch fn {
	case "Fn::Equals":
		if len(vals) != 2 {
			d.errAt(t, arg.pos, path, "Fn::Equals takes two values")
			return false, false
		}
		a, aok := scalarText(vals[0])
		b, bok := scalarText(vals[1])
		return a == b, aok && bok
	case "Fn::Not":
		if len(vals) != 1 {
			d.errAt(t, arg.pos, path, "Fn::Not takes one condition")
			return false, false
		}
		b, ok := vals[0].(bool)
		return !b, ok
	}
	all := fn == "Fn::And"
	res, known := all, true
	for _, v := range vals {
		b, ok := v.(bool)
		known = known && ok
		if all {
			res = res && b
		} else {
			res = res || b
		}
	}
	return res, known
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64, bool:
		return fmt.Sprint(x), true
	}
	return "", false
}
