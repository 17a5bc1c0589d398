package cloudformation

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/internal/jsonpos"
)

// kind is the kind of a template node.
type kind uint8

const (
	scalar kind = iota
	mapping
	sequence
	null
)

// node is one value of a template, JSON or YAML, with its position and its
// YAML tag ("!Ref", "!GetAtt", ...; "" when none).
type node struct {
	kind  kind
	tag   string
	value string // scalar text (unquoted)
	typ   string // scalar type: "string", "bool", "number"
	keys  []string
	kpos  []pos   // position of each key
	vals  []*node // mapping values, in key order
	items []*node // sequence items
	pos   pos
	size  int // nodes in this tree, aliases expanded
}

// pos is a 1-based line and column.
type pos struct{ line, col int }

// get returns the value of key k of a mapping, or nil.
func (n *node) get(k string) *node {
	if n == nil || n.kind != mapping {
		return nil
	}
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

// maxNodes bounds the nodes built from one template, aliases expanded, so
// that a YAML alias bomb is an error, not a hang.
const maxNodes = 1 << 20

// parseTemplate reads a template, JSON or YAML: JSON (a file whose first
// non-blank character is "{") is checked by encoding/json first, for its
// messages and positions; then both are read by goccy/go-yaml (JSON is
// YAML), which keeps tags and positions.
func parseTemplate(file string, data []byte) (*node, error) {
	data, terr := importer.CheckText(file, data, "a CloudFormation template (JSON or YAML)")
	if terr != nil {
		return nil, &posError{pos{terr.Line, terr.Col}, terr.Msg}
	}
	format := "YAML"
	if trimmed := strings.TrimLeft(string(data), " \t\r\n"); strings.HasPrefix(trimmed, "{") {
		format = "JSON"
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			e := jsonpos.Wrap(data, err)
			return nil, &posError{pos{e.Line, e.Col}, e.Msg}
		}
	}
	if line, col, ok := scanDepth(data, maxDepth); !ok {
		return nil, &posError{pos{line, col}, fmt.Sprintf("nested more than %d levels deep (drsim reads templates up to that depth; a real template nests about ten)", maxDepth)}
	}
	f, err := parseYAML(data)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			return nil, &posError{pos{se.Token.Position.Line, se.Token.Position.Column}, yamlMessage(format, se.Message)}
		}
		return nil, &posError{pos{}, yamlMessage(format, firstLine(err.Error()))}
	}
	if len(f.Docs) == 0 || f.Docs[0] == nil || f.Docs[0].Body == nil {
		return nil, &posError{pos{1, 1}, "empty template"}
	}
	if len(f.Docs) > 1 {
		return nil, &posError{tokenPos(f.Docs[1]), "more than one YAML document; a template is one"}
	}
	return buildTree(f.Docs[0].Body)
}

// buildTree copies goccy's tree into nodes. The library's nodes call each
// other's methods (GetToken), and a malformed tree could hold a typed nil:
// a panic there is turned into an error, like a parse failure.
func buildTree(body ast.Node) (n *node, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, &posError{pos{}, fmt.Sprintf("malformed YAML: the YAML library failed on this input: %v", r)}
		}
	}()
	b := &builder{anchors: map[string]*node{}}
	n = b.build(body, 0)
	if b.err != nil {
		return nil, b.err
	}
	return n, nil
}

// parseYAML calls goccy/go-yaml's parser. A panic inside the library (a
// fuzzed input found one in its syntax tree) is turned into an error, so
// that no input makes drsim import panic.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML library failed on this input: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

// duplicateKey matches goccy/go-yaml's message for a key given twice.
var duplicateKey = regexp.MustCompile(`^mapping key (".*") already defined at \[(\d+):(\d+)\]$`)

// yamlMessage words a message of the YAML library for a template in
// format (JSON is read as YAML too): a duplicate key says so, as
// CloudFormation refuses it.
func yamlMessage(format, msg string) string {
	if m := duplicateKey.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("duplicate key %s (first at %s:%s): CloudFormation refuses a template that repeats a key", m[1], m[2], m[3])
	}
	return "malformed " + format + ": " + msg
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// posError is a problem at a position of the file being read.
type posError struct {
	pos pos
	msg string
}

// Error formats e as "LINE:COL: message".
func (e *posError) Error() string { return fmt.Sprintf("%d:%d: %s", e.pos.line, e.pos.col, e.msg) }

// tokenPos returns the position of a node's token, or the zero pos. A
// document without a body has no token of its own in goccy/go-yaml
// (its GetToken dereferences the body), so it takes its "---" token's.
func tokenPos(n ast.Node) pos {
	if d, ok := n.(*ast.DocumentNode); ok {
		if d == nil || d.Body == nil {
			if d != nil && d.Start != nil {
				return pos{d.Start.Position.Line, d.Start.Position.Column}
			}
			return pos{}
		}
		n = d.Body
	}
	if n == nil || n.GetToken() == nil {
		return pos{}
	}
	p := n.GetToken().Position
	return pos{p.Line, p.Column}
}

// builder turns goccy's syntax tree into nodes.
type builder struct {
	anchors map[string]*node
	count   int
	err     error
}

const maxDepth = 200

func (b *builder) fail(at pos, format string, args ...any) *node {
	if b.err == nil {
		b.err = &posError{at, fmt.Sprintf(format, args...)}
	}
	return &node{kind: null, pos: at}
}

func (b *builder) build(n ast.Node, depth int) *node {
	out := b.build1(n, depth)
	if out.size == 0 {
		out.size = 1
		for _, v := range out.vals {
			out.size += v.size
		}
		for _, v := range out.items {
			out.size += v.size
		}
	}
	return out
}

func (b *builder) build1(n ast.Node, depth int) *node {
	at := tokenPos(n)
	if b.err != nil {
		return &node{kind: null, pos: at}
	}
	b.count++
	if b.count > maxNodes || depth > maxDepth {
		return b.fail(at, "template too large or too deeply nested (more than %d values or %d levels)", maxNodes, maxDepth)
	}
	switch n := n.(type) {
	case nil:
		return &node{kind: null}
	case *ast.DocumentNode:
		return b.build(n.Body, depth)
	case *ast.MappingNode:
		out := &node{kind: mapping, pos: at}
		for _, mv := range n.Values {
			b.entry(out, mv, depth)
		}
		if len(n.Values) > 0 {
			out.pos = tokenPos(n.Values[0].Key)
		}
		return out
	case *ast.MappingValueNode:
		out := &node{kind: mapping, pos: tokenPos(n.Key)}
		b.entry(out, n, depth)
		return out
	case *ast.SequenceNode:
		out := &node{kind: sequence, pos: at}
		for _, v := range n.Values {
			out.items = append(out.items, b.build(v, depth+1))
		}
		return out
	case *ast.TagNode:
		tag := n.Start.Value
		var inner *node
		if n.Value == nil {
			inner = &node{kind: null, pos: at}
		} else {
			inner = b.build(n.Value, depth+1)
		}
		if isStandardTag(tag) {
			return inner
		}
		c := *inner
		c.tag, c.pos, c.size = tag, at, 0
		return &c
	case *ast.AnchorNode:
		v := b.build(n.Value, depth+1)
		if n.Name != nil {
			b.anchors[n.Name.String()] = v
		}
		return v
	case *ast.AliasNode:
		name := ""
		if n.Value != nil {
			name = n.Value.String()
		}
		v, ok := b.anchors[name]
		if !ok {
			return b.fail(at, "alias *%s names no anchor", name)
		}
		b.count += v.size
		if b.count > maxNodes {
			return b.fail(at, "template too large: aliases expand to more than %d values", maxNodes)
		}
		return v
	case *ast.StringNode:
		return &node{kind: scalar, typ: "string", value: n.Value, pos: at}
	case *ast.LiteralNode:
		v := ""
		if n.Value != nil {
			v = n.Value.Value
		}
		return &node{kind: scalar, typ: "string", value: v, pos: at}
	case *ast.BoolNode:
		return &node{kind: scalar, typ: "bool", value: strconv.FormatBool(n.Value), pos: at}
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return &node{kind: scalar, typ: "number", value: n.GetToken().Value, pos: at}
	case *ast.NullNode:
		return &node{kind: null, pos: at}
	case *ast.CommentGroupNode:
		return &node{kind: null, pos: at}
	}
	return b.fail(at, "unsupported YAML construct %s", n.Type())
}

// entry adds one key: value of a mapping (a "<<" merge key merges the
// mapping it names).
func (b *builder) entry(out *node, mv *ast.MappingValueNode, depth int) {
	kp := tokenPos(mv.Key)
	v := b.build(mv.Value, depth+1)
	if mv.Key.IsMergeKey() {
		if v.kind != mapping {
			b.fail(kp, "<< must merge a mapping")
			return
		}
		for i, k := range v.keys {
			if out.get(k) == nil {
				out.keys, out.kpos, out.vals = append(out.keys, k), append(out.kpos, v.kpos[i]), append(out.vals, v.vals[i])
			}
		}
		return
	}
	key := b.build(mv.Key, depth+1)
	if key.kind != scalar || key.tag != "" {
		b.fail(kp, "a mapping key must be a plain string")
		return
	}
	for _, k := range out.keys {
		if k == key.value {
			b.fail(kp, "duplicate key %q", key.value)
			return
		}
	}
	out.keys, out.kpos, out.vals = append(out.keys, key.value), append(out.kpos, kp), append(out.vals, v)
}

// isStandardTag reports YAML's own tags (!!str, ...), which only say the
// type.
func isStandardTag(tag string) bool { return strings.HasPrefix(tag, "!!") }
