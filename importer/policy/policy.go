package policy

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/drsim/drsim/internal/jsonpos"
)

// CryptoActions are the cryptographic operations drsim simulates (S3 PUT:
// GenerateDataKey; GET and replication at the source: Decrypt; replication
// at the destination: Encrypt). A principal allowed any of them is a user.
var CryptoActions = []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}

// ControlActions are the control-plane operations drsim models, one per
// operation a runbook step or an action can issue (replicate-key,
// update-primary-region, enable-key, disable-key, put-key-policy,
// schedule-key-deletion, cancel-key-deletion, rotate-key): the permissions
// the KMS API Reference lists under "Required permissions" for each. A
// principal allowed all of them is an admin.
var ControlActions = []string{
	"kms:ReplicateKey", "kms:UpdatePrimaryRegion", "kms:EnableKey", "kms:DisableKey",
	"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
}

// actions is CryptoActions then ControlActions; a bit set over it says what a
// statement allows or denies.
var actions = append(slices.Clip(CryptoActions), ControlActions...)

type actionSet uint16

const (
	cryptoBits  actionSet = 1<<3 - 1
	controlBits actionSet = (1<<11 - 1) &^ cryptoBits
)

func (s actionSet) names(bits actionSet) []string {
	var out []string
	for i, a := range actions {
		if bits&(1<<i) != 0 && s&(1<<i) != 0 {
			out = append(out, a)
		}
	}
	return out
}

// Undecided kinds: why a policy alone cannot tell.
const (
	Condition   = "condition"
	AccountRoot = "account root"
	NotPrincip  = "NotPrincipal"
)

// Principal is what a key policy allows one principal.
type Principal struct {
	// Name is the role or user name, or "*" for anyone (Principal "*",
	// the account root, Allow with NotPrincipal).
	Name string
	// Crypto lists the allowed CryptoActions, in that order; Control the
	// allowed ControlActions, in that order.
	Crypto, Control []string
	// Notes say what the policy cannot decide about this principal or what
	// else limits it, e.g. `condition on kms:ViaService (statement "Use")`
	// or "account root 111122223333: IAM policies decide".
	Notes []string
	// Undecided is true when a Notes entry is one of the undecidable kinds
	// (a condition, the account root, NotPrincipal).
	Undecided bool
	// Statements are the Sids (or "statement N", 1-based) that grant it
	// something, in policy order.
	Statements []string

	allow actionSet
}

// User reports whether the principal may use the key for cryptography.
func (p *Principal) User() bool { return p.allow&cryptoBits != 0 }

// Admin reports whether the principal is allowed every ControlActions entry.
func (p *Principal) Admin() bool { return p.allow&controlBits == controlBits }

// PartialAdmin reports whether the principal is allowed some but not all of
// the ControlActions.
func (p *Principal) PartialAdmin() bool { return p.allow&controlBits != 0 && !p.Admin() }

// MissingControl lists the ControlActions the principal is not allowed.
func (p *Principal) MissingControl() []string { return (^p.allow).names(controlBits) }

// Allows reports whether the principal is allowed action, one of
// CryptoActions or ControlActions.
func (p *Principal) Allows(action string) bool {
	i := slices.Index(actions, action)
	return i >= 0 && p.allow&(1<<i) != 0
}

// Analysis is what a key policy allows, principal by principal.
type Analysis struct {
	// Principals are sorted by name, "*" first; only principals allowed
	// at least one CryptoActions or ControlActions entry are listed.
	Principals []*Principal
	// Ignored lists principals that are not drsim principals (services,
	// federated users, canonical users, unique IDs of deleted roles), each
	// with its statement.
	Ignored []string
	// Undecided counts the undecidable items by kind (Condition,
	// AccountRoot, NotPrincip), one per statement and kind; a condition
	// only when it applies to a drsim principal (not to a service).
	Undecided map[string]int
}

// Find returns the entry of the principal named name, or nil.
func (a *Analysis) Find(name string) *Principal {
	for _, p := range a.Principals {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Allows reports whether principal name is allowed action, by its own entry
// or by "*"; undecided is true when every grant of the action to it is
// undecided (a condition, the account root, NotPrincipal).
func (a *Analysis) Allows(name, action string) (allowed, undecided bool) {
	undecided = true
	for _, n := range []string{name, "*"} {
		if p := a.Find(n); p != nil && p.Allows(action) {
			allowed = true
			undecided = undecided && p.Undecided
		}
	}
	return allowed, allowed && undecided
}

// UndecidedTotal is the number of undecidable items.
func (a *Analysis) UndecidedTotal() int {
	n := 0
	for _, c := range a.Undecided {
		n += c
	}
	return n
}

// Error is a problem with a policy document: its 1-based line and column
// in the document's text (0 when the document was given decoded), the path
// of the element ("Statement[1].Effect") and the message.
type Error struct {
	Line, Col int
	Path      string
	Msg       string
}

// Error formats e as "key policy LINE:COL: PATH: message" (the position
// and the path only when known).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("key policy")
	if e.Line > 0 {
		fmt.Fprintf(&b, " %d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Analyze reads a key policy document written as JSON text (as Terraform
// state, get-key-policy and CloudFormation string policies hold it). It
// returns an *Error for malformed JSON (with line and column) or an
// element of the wrong shape.
func Analyze(doc string) (*Analysis, error) {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		e := jsonpos.Wrap([]byte(doc), err)
		return nil, &Error{Line: e.Line, Col: e.Col, Msg: e.Msg}
	}
	return AnalyzeValue(v)
}

// AnalyzeValue reads a key policy document already decoded into JSON values
// (map[string]any, []any, string, bool, float64, nil), as a CloudFormation
// template holds KeyPolicy. It returns an *Error naming the element path of
// an element of the wrong shape.
func AnalyzeValue(v any) (*Analysis, error) {
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Msg: fmt.Sprintf("expected a policy document (an object with Statement), got %s", kind(v))}
	}
	var stmts []any
	switch s := doc["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	case nil:
		return nil, &Error{Path: "Statement", Msg: "missing: a key policy needs at least one statement"}
	default:
		return nil, &Error{Path: "Statement", Msg: "expected an object or an array of objects, got " + kind(doc["Statement"])}
	}
	a := &analyzer{res: &Analysis{Undecided: map[string]int{}}, byName: map[string]*Principal{}}
	parsed := make([]*statement, 0, len(stmts))
	for i, sv := range stmts {
		st, err := parseStatement(i, sv)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, st)
	}
	// Allow first, then Deny: an explicit deny wins whatever the order.
	for _, st := range parsed {
		if st.allow {
			a.grant(st)
		}
	}
	for _, st := range parsed {
		if !st.allow {
			a.deny(st)
		}
	}
	for _, p := range a.byName {
		if p.allow == 0 {
			continue
		}
		p.Crypto = p.allow.names(cryptoBits)
		p.Control = p.allow.names(controlBits)
		a.res.Principals = append(a.res.Principals, p)
	}
	sort.Slice(a.res.Principals, func(i, j int) bool {
		pi, pj := a.res.Principals[i].Name, a.res.Principals[j].Name
		if (pi == "*") != (pj == "*") {
			return pi == "*"
		}
		return pi < pj
	})
	return a.res, nil
}

// statement is one parsed policy statement.
type statement struct {
	label     string // Sid, or "statement N"
	path      string // Statement[i]
	allow     bool
	acts      actionSet
	princs    []principal
	not       bool     // NotPrincipal instead of Principal
	condition []string // condition keys, sorted
}

// principal is one entry of Principal or NotPrincipal.
type principal struct {
	name    string // role or user name, "*" for anyone
	account string // for the account root
	root    bool
	ignored string // non-empty: not a drsim principal, and why
}

func parseStatement(i int, v any) (*statement, error) {
	p := fmt.Sprintf("Statement[%d]", i)
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Path: p, Msg: "expected an object, got " + kind(v)}
	}
	st := &statement{path: p, label: fmt.Sprintf("statement %d", i+1)}
	if sid, ok := m["Sid"].(string); ok && sid != "" {
		st.label = fmt.Sprintf("%q", sid)
	}
	switch e := m["Effect"]; e {
	case "Allow":
		st.allow = true
	case "Deny":
	default:
		return nil, &Error{Path: p + ".Effect", Msg: fmt.Sprintf("expected \"Allow\" or \"Deny\", got %s", show(e))}
	}
	acts, hasAct := m["Action"]
	notActs, hasNot := m["NotAction"]
	switch {
	case hasAct && hasNot:
		return nil, &Error{Path: p, Msg: "has both Action and NotAction"}
	case hasAct:
		pats, err := strList(p+".Action", acts)
		if err != nil {
			return nil, err
		}
		st.acts = match(pats)
	case hasNot:
		pats, err := strList(p+".NotAction", notActs)
		if err != nil {
			return nil, err
		}
		st.acts = (cryptoBits | controlBits) &^ match(pats)
	default:
		return nil, &Error{Path: p, Msg: "has neither Action nor NotAction"}
	}
	pr, hasP := m["Principal"]
	npr, hasNP := m["NotPrincipal"]
	switch {
	case hasP && hasNP:
		return nil, &Error{Path: p, Msg: "has both Principal and NotPrincipal"}
	case hasP:
		ps, err := parsePrincipals(p+".Principal", pr)
		if err != nil {
			return nil, err
		}
		st.princs = ps
	case hasNP:
		ps, err := parsePrincipals(p+".NotPrincipal", npr)
		if err != nil {
			return nil, err
		}
		st.princs, st.not = ps, true
	default:
		return nil, &Error{Path: p, Msg: "has neither Principal nor NotPrincipal (a key policy statement needs one)"}
	}
	if c, ok := m["Condition"]; ok && c != nil {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, &Error{Path: p + ".Condition", Msg: "expected an object, got " + kind(c)}
		}
		seen := map[string]bool{}
		for _, ops := range cm {
			if om, ok := ops.(map[string]any); ok {
				for k := range om {
					seen[k] = true
				}
			}
		}
		for k := range seen {
			st.condition = append(st.condition, k)
		}
		sort.Strings(st.condition)
		if len(st.condition) == 0 && len(cm) > 0 {
			st.condition = []string{"(no keys)"}
		}
	}
	return st, nil
}

// match returns the actions drsim models that any pattern matches.
func match(patterns []string) actionSet {
	var s actionSet
	for _, pat := range patterns {
		pat = strings.ToLower(pat)
		if strings.ContainsAny(pat, "[\\/") {
			continue // no IAM action name holds these; path.Match would read them as syntax
		}
		for i, a := range actions {
			if ok, _ := path.Match(pat, strings.ToLower(a)); ok {
				s |= 1 << i
			}
		}
	}
	return s
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// parsePrincipals reads a Principal or NotPrincipal element: "*", or an
// object of AWS / Service / Federated / CanonicalUser lists.
func parsePrincipals(p string, v any) ([]principal, error) {
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, &Error{Path: p, Msg: fmt.Sprintf("expected \"*\" or an object like {\"AWS\": [...]}, got %q", s)}
		}
		return []principal{{name: "*"}}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Path: p, Msg: "expected \"*\" or an object like {\"AWS\": [...]}, got " + kind(v)}
	}
	var out []principal
	for _, typ := range sortedKeys(m) {
		ids, err := strList(p+"."+typ, m[typ])
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if typ != "AWS" {
				out = append(out, principal{ignored: fmt.Sprintf("%s principal %s", strings.ToLower(typ), id)})
				continue
			}
			out = append(out, awsPrincipal(id))
		}
	}
	return out, nil
}

// awsPrincipal names an AWS principal: "*", an account (root), an IAM role or
// user ARN, or an STS assumed-role ARN.
func awsPrincipal(id string) principal {
	if id == "*" {
		return principal{name: "*"}
	}
	if accountID.MatchString(id) {
		return principal{name: "*", root: true, account: id}
	}
	parts := strings.SplitN(id, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return principal{ignored: fmt.Sprintf("principal %s (a unique ID: its role or user was deleted, or not an ARN)", id)}
	}
	svc, acct, res := parts[2], parts[4], parts[5]
	switch {
	case svc == "iam" && res == "root":
		return principal{name: "*", root: true, account: acct}
	case svc == "iam" && (strings.HasPrefix(res, "role/") || strings.HasPrefix(res, "user/")):
		return principal{name: res[strings.LastIndex(res, "/")+1:]}
	case svc == "sts" && strings.HasPrefix(res, "assumed-role/"):
		role, _, _ := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		return principal{name: role}
	}
	return principal{ignored: fmt.Sprintf("principal %s (not an IAM role, user or account)", id)}
}

// analyzer accumulates the grants of a policy.
type analyzer struct {
	res    *Analysis
	byName map[string]*Principal
}

func (a *analyzer) entry(name string) *Principal {
	p := a.byName[name]
	if p == nil {
		p = &Principal{Name: name}
		a.byName[name] = p
	}
	return p
}

func (p *Principal) note(undecided bool, format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(p.Notes, n) {
		p.Notes = append(p.Notes, n)
	}
	p.Undecided = p.Undecided || undecided
}

func (a *analyzer) count(kind string) { a.res.Undecided[kind]++ }

func (a *analyzer) grant(st *statement) {
	if st.acts == 0 {
		return
	}
	cond := ""
	if len(st.condition) > 0 {
		cond = fmt.Sprintf("condition on %s (%s)", strings.Join(st.condition, ", "), st.label)
		// Counted only when it conditions a drsim principal: a condition
		// on a service principal (kms:ViaService for logs.amazonaws.com)
		// decides nothing drsim simulates.
		if st.not || slices.ContainsFunc(st.princs, func(p principal) bool { return p.ignored == "" }) {
			a.count(Condition)
		}
	}
	if st.not {
		a.count(NotPrincip)
		var listed []string
		for _, pr := range st.princs {
			listed = append(listed, pr.display())
		}
		p := a.entry("*")
		p.allow |= st.acts
		p.note(true, "NotPrincipal: everyone but %s (%s)", strings.Join(listed, ", "), st.label)
		if cond != "" {
			p.note(true, "%s", cond)
		}
		p.Statements = appendNew(p.Statements, st.label)
		return
	}
	rootCounted := false
	for _, pr := range st.princs {
		if pr.ignored != "" {
			a.res.Ignored = appendNew(a.res.Ignored, fmt.Sprintf("%s (%s)", pr.ignored, st.label))
			continue
		}
		p := a.entry(pr.name)
		p.allow |= st.acts
		p.Statements = appendNew(p.Statements, st.label)
		if pr.root {
			if !rootCounted {
				a.count(AccountRoot)
				rootCounted = true
			}
			acct := ""
			if accountID.MatchString(pr.account) {
				acct = " " + pr.account
			}
			p.note(true, "account root%s: IAM policies decide (%s)", acct, st.label)
		}
		if cond != "" {
			p.note(true, "%s", cond)
		}
	}
}

func (a *analyzer) deny(st *statement) {
	if st.acts == 0 {
		return
	}
	what := strings.Join(st.acts.names(cryptoBits|controlBits), ", ")
	if len(st.condition) > 0 {
		affected := a.affected(st)
		if len(affected) > 0 {
			a.count(Condition)
		}
		for _, p := range affected {
			p.note(true, "denied %s on condition %s (%s)", what, strings.Join(st.condition, ", "), st.label)
		}
		return
	}
	if st.not {
		a.count(NotPrincip)
	}
	for _, p := range a.affected(st) {
		if st.not && p.Name == "*" {
			p.note(true, "denied %s unless NotPrincipal (%s)", what, st.label)
			continue
		}
		p.allow &^= st.acts
	}
	// A named principal denied while "*" is allowed: "*" can no longer be
	// read as "anyone".
	if !st.not {
		if star := a.byName["*"]; star != nil && star.allow&st.acts != 0 {
			for _, pr := range st.princs {
				if pr.name != "" && pr.name != "*" {
					star.note(false, "except %s, denied %s (%s)", pr.name, what, st.label)
				}
			}
		}
	}
}

// affected returns the principals a Deny statement applies to, by name.
func (a *analyzer) affected(st *statement) []*Principal {
	names := sortedKeys(a.byName)
	var out []*Principal
	for _, n := range names {
		hit := false
		for _, pr := range st.princs {
			if pr.ignored == "" && (pr.name == n || pr.name == "*" && !pr.root) {
				hit = true
			}
		}
		if st.not {
			hit = !hit
		}
		if hit {
			out = append(out, a.byName[n])
		}
	}
	return out
}

func (pr principal) display() string {
	switch {
	case pr.ignored != "":
		return pr.ignored
	case pr.root && accountID.MatchString(pr.account):
		return "account " + pr.account
	case pr.root:
		return "the account"
	}
	return pr.name
}

// strList reads a string or an array of strings.
func strList(p string, v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, &Error{Path: fmt.Sprintf("%s[%d]", p, i), Msg: "expected a string, got " + kind(e)}
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, &Error{Path: p, Msg: "expected a string or an array of strings, got " + kind(v)}
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number, int, int64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return kind(v)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func appendNew(l []string, s string) []string {
	if slices.Contains(l, s) {
		return l
	}
	return append(l, s)
}

// DefaultPolicy returns the key policy AWS KMS attaches to a key created
// (or replicated) without one: a single statement that allows the account
// root every KMS action, so that IAM policies decide (AWS KMS Developer
// Guide, "Default key policy"). account is the 12-digit account ID, or ""
// when unknown.
func DefaultPolicy(account string) string {
	if account == "" {
		account = "ACCOUNT"
	}
	return `{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", ` +
		`"Principal": {"AWS": "arn:aws:iam::` + account + `:root"}, "Action": "kms:*", "Resource": "*"}]}`
}
