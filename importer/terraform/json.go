package terraform

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// document is the top level of `terraform show -json`: a state (values) or
// a plan (planned_values, resource_changes, configuration, variables).
type document struct {
	FormatVersion    string                    `json:"format_version"`
	TerraformVersion string                    `json:"terraform_version"`
	Values           *values                   `json:"values"`
	PlannedValues    *values                   `json:"planned_values"`
	ResourceChanges  []*resourceChange         `json:"resource_changes"`
	Configuration    *configuration            `json:"configuration"`
	Variables        map[string]*planVariable  `json:"variables"`
	PriorState       *struct{ Values *values } `json:"prior_state"`
	// The fields of a raw state file (terraform.tfstate), which is not
	// terraform show output: read to say so.
	Version   any    `json:"version"`
	Serial    any    `json:"serial"`
	Lineage   string `json:"lineage"`
	Resources any    `json:"resources"`
}

type planVariable struct {
	Value any `json:"value"`
}

type values struct {
	RootModule *module `json:"root_module"`
}

type module struct {
	Address      string      `json:"address"`
	Resources    []*resource `json:"resources"`
	ChildModules []*module   `json:"child_modules"`
}

type resource struct {
	Address      string         `json:"address"`
	Mode         string         `json:"mode"`
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	Index        any            `json:"index"`
	ProviderName string         `json:"provider_name"`
	Values       map[string]any `json:"values"`
	DeposedKey   string         `json:"deposed_key"`
}

type resourceChange struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Deposed       string `json:"deposed"`
	Change        *struct {
		Actions      []string `json:"actions"`
		AfterUnknown any      `json:"after_unknown"`
	} `json:"change"`
}

type configuration struct {
	ProviderConfig map[string]*providerConfig `json:"provider_config"`
	RootModule     *configModule              `json:"root_module"`
}

type providerConfig struct {
	Name          string                     `json:"name"`
	Alias         string                     `json:"alias"`
	ModuleAddress string                     `json:"module_address"`
	Expressions   map[string]json.RawMessage `json:"expressions"`
}

type configModule struct {
	Outputs     map[string]*configOutput `json:"outputs"`
	Resources   []*configResource        `json:"resources"`
	ModuleCalls map[string]*moduleCall   `json:"module_calls"`
	Variables   map[string]*struct {
		Default any `json:"default"`
	} `json:"variables"`
}

type configOutput struct {
	Expression json.RawMessage `json:"expression"`
}

type configResource struct {
	Address           string                     `json:"address"`
	Mode              string                     `json:"mode"`
	Type              string                     `json:"type"`
	Name              string                     `json:"name"`
	ProviderConfigKey string                     `json:"provider_config_key"`
	Expressions       map[string]json.RawMessage `json:"expressions"`
}

type moduleCall struct {
	Source      string                     `json:"source"`
	Expressions map[string]json.RawMessage `json:"expressions"`
	Module      *configModule              `json:"module"`
}

// expression is an expression representation: a constant or references.
type expression struct {
	constant    any
	hasConstant bool
	refs        []string
}

// parseExpr reads an expression representation; ok is false for anything
// else (a nested block).
func parseExpr(raw json.RawMessage) (expression, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return expression{}, false
	}
	var e expression
	c, hasC := m["constant_value"]
	r, hasR := m["references"]
	if !hasC && !hasR {
		return e, len(m) == 0
	}
	if hasC {
		e.hasConstant = json.Unmarshal(c, &e.constant) == nil
	}
	if hasR {
		_ = json.Unmarshal(r, &e.refs)
	}
	return e, true
}

// blockExprs reads a nested block's expressions: a list or set block is an
// array of objects, a single block an object.
func blockExprs(raw json.RawMessage) []map[string]json.RawMessage {
	var list []map[string]json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one map[string]json.RawMessage
	if json.Unmarshal(raw, &one) == nil {
		return []map[string]json.RawMessage{one}
	}
	return nil
}

// exprAt returns the expression at a path of block names and indexes
// ending in an attribute name ("rule", 0, "destination", 0, "bucket") in a
// resource's expressions. Blocks of a set are taken in the order the
// configuration lists them.
func exprAt(exprs map[string]json.RawMessage, path ...any) (expression, bool) {
	cur := exprs
	for i := 0; i < len(path); i += 2 {
		name, ok := path[i].(string)
		if !ok {
			return expression{}, false
		}
		raw, ok := cur[name]
		if !ok {
			return expression{}, false
		}
		if i == len(path)-1 {
			return parseExpr(raw)
		}
		idx, ok := path[i+1].(int)
		blocks := blockExprs(raw)
		if !ok || idx < 0 || idx >= len(blocks) {
			return expression{}, false
		}
		cur = blocks[idx]
	}
	return expression{}, false
}

// Attribute access on decoded values (map[string]any from JSON).

// get walks a path of attribute names and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k < 0 || k >= len(l) {
				return nil
			}
			v = l[k]
		default:
			return nil
		}
	}
	return v
}

// unknown reports whether the value at path is unknown until apply, by the
// change's after_unknown (true at the path or above it).
func unknown(afterUnknown any, path ...any) bool {
	v := afterUnknown
	if b, ok := v.(bool); ok {
		return b
	}
	for _, p := range path {
		v = get(v, p)
		if b, ok := v.(bool); ok {
			return b
		}
		if v == nil {
			return false
		}
	}
	return false
}

// pathString renders an attribute path as Terraform writes it:
// rule[0].destination[0].bucket.
func pathString(path ...any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			b.WriteString("[" + strconv.Itoa(k) + "]")
		}
	}
	return b.String()
}

// indexKey renders an instance key as Terraform writes it in addresses.
func indexKey(index any) string {
	switch k := index.(type) {
	case nil:
		return ""
	case json.Number:
		return "[" + k.String() + "]"
	case float64:
		return fmt.Sprintf("[%d]", int64(k))
	case string:
		return "[" + strconv.Quote(k) + "]"
	}
	return fmt.Sprintf("[%v]", index)
}
