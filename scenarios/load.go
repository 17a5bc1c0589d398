package scenarios

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/drsim/drsim/model"
)

// The bundled scenarios. A bundled name is the file stem: strategies/pilot-light.toml
// is "pilot-light". Files whose stem starts with "_" are bases for extends:
// loadable, not listed.
//
//go:embed *.toml strategies/*.toml control-planes/*.toml
var bundledFS embed.FS

// Info describes a bundled scenario.
type Info struct {
	Name        string
	Description string
}

// bundledPaths maps every bundled name (bases included) to its path in the
// embedded file system. When two files share a stem, the first in lexical
// path order wins.
func bundledPaths() map[string]string {
	names := map[string]string{}
	_ = fs.WalkDir(bundledFS, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || path.Ext(p) != ".toml" {
			return nil
		}
		stem := strings.TrimSuffix(path.Base(p), ".toml")
		if _, dup := names[stem]; !dup {
			names[stem] = p
		}
		return nil
	})
	return names
}

// BundledFS returns the embedded scenario files (for tests and fuzz seeds).
func BundledFS() fs.FS { return bundledFS }

// Bundled lists the bundled scenarios, sorted by name. Bases (names starting
// with "_") are not listed. The description is the file's own.
func Bundled() []Info {
	paths := bundledPaths()
	var out []Info
	for _, n := range sortedKeys(paths) {
		if strings.HasPrefix(n, "_") {
			continue
		}
		info := Info{Name: n}
		if data, err := bundledFS.ReadFile(paths[n]); err == nil {
			var head struct {
				Description string `toml:"description"`
			}
			if _, err := toml.Decode(string(data), &head); err == nil {
				info.Description = head.Description
			}
		}
		out = append(out, info)
	}
	return out
}

// bundledNames returns the listed bundled names, for did-you-mean.
func bundledNames(withBases bool) []string {
	var names []string
	for _, n := range sortedKeys(bundledPaths()) {
		if withBases || !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	return names
}

// Load reads and validates the scenario file at path. Relative extends are
// resolved against the file's directory, then as bundled names. extends may
// read only regular files under the file's folder, or under the root given
// with WithRoot (see extends.go). A file larger than MaxFileSize is an
// error (Load reads no more of it).
func Load(file string, opts ...Option) (*model.Config, error) {
	c, _, err := load(file, opts...)
	return c, err
}

func load(file string, opts ...Option) (*model.Config, model.Locator, error) {
	r, err := openFile(file, opts...)
	if err != nil {
		return nil, nil, err
	}
	return r.Config, r.Locator, nil
}

// openFile loads the scenario file at path with its options.
func openFile(file string, opts ...Option) (*Resolved, error) {
	data, err := readFile(file)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	o := applyOptions(opts)
	root := cmp.Or(o.root, filepath.Dir(file))
	where := rootName(root, file, o.root != "")
	files := &osFiles{dir: root, where: where}
	defer files.close()
	return openSource(fileSource(file, data), files, root, where, file, o.overrides)
}

// readFile reads at most MaxFileSize+1 bytes of file: enough for the limit
// check to say it is too big, and bounded for /dev/zero.
func readFile(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

func fileSource(filename string, data []byte) source {
	return source{id: "file:" + canonical(filename), display: filename, dir: filepath.Dir(filename), data: data, loaded: true}
}

// LoadBundled loads a bundled scenario by name (the file stem, as listed by
// Bundled; a trailing ".toml" is ignored).
func LoadBundled(name string) (*model.Config, error) {
	c, _, err := loadBundled(name)
	return c, err
}

func loadBundled(name string) (*model.Config, model.Locator, error) {
	r, err := openBundled(name, nil)
	if err != nil {
		return nil, nil, err
	}
	return r.Config, r.Locator, nil
}

// openBundled loads a bundled scenario with overrides.
func openBundled(name string, overrides []Override) (*Resolved, error) {
	stem := strings.TrimSuffix(name, ".toml")
	p, ok := bundledPaths()[stem]
	if !ok {
		return nil, fmt.Errorf("scenarios: no bundled scenario %q%s; bundled: %s", name,
			suggest(stem, bundledNames(false)), strings.Join(bundledNames(false), ", "))
	}
	return openSource(source{id: "bundled:" + p, display: p, bundled: true, dir: path.Dir(p)}, nil, "", "", stem, overrides)
}

// Resolve loads arg as a file if a file exists there or arg ends in ".toml",
// else as a bundled name. The options apply to a file (see Load).
func Resolve(arg string, opts ...Option) (*model.Config, error) {
	c, _, err := ResolveLocated(arg, opts...)
	return c, err
}

// ResolveLocated is Resolve that also returns where each value of the
// scenario was written (for findings that point at file:line:col).
func ResolveLocated(arg string, opts ...Option) (*model.Config, model.Locator, error) {
	r, err := Open(arg, opts...)
	if err != nil {
		return nil, nil, err
	}
	return r.Config, r.Locator, nil
}

// Parse decodes and validates a scenario. filename names the file in errors
// and anchors relative extends; readExtends reads such files (nil: only
// bundled names can be extended), and is asked only for paths under the
// root: filename's folder, or the one given with WithRoot. It should return
// an error wrapping fs.ErrNotExist for a missing file, and is trusted with
// the rest (Load's own reader refuses devices, named pipes and symbolic
// links that leave the root; FilesOnDisk gives Parse that reader).
// Problems with the scenario are returned as an ErrorList.
func Parse(filename string, data []byte, readExtends func(path string) ([]byte, error), opts ...Option) (*model.Config, error) {
	c, _, err := ParseLocated(filename, data, readExtends, opts...)
	return c, err
}

// ParseLocated is Parse that also returns where each value of the scenario
// was written, in filename or in the files it extends.
func ParseLocated(filename string, data []byte, readExtends func(path string) ([]byte, error), opts ...Option) (*model.Config, model.Locator, error) {
	r, err := OpenData(filename, data, readExtends, opts...)
	if err != nil {
		return nil, nil, err
	}
	return r.Config, r.Locator, nil
}

// OpenData is Open for a scenario given as data, as Parse reads it:
// filename names it in errors and anchors relative extends, which
// readExtends reads (see Parse and FilesOnDisk).
func OpenData(filename string, data []byte, readExtends func(path string) ([]byte, error), opts ...Option) (*Resolved, error) {
	o := applyOptions(opts)
	root := cmp.Or(o.root, filepath.Dir(filename))
	where := rootName(root, filename, o.root != "")
	var files baseFiles
	switch {
	case o.disk:
		disk := &osFiles{dir: root, where: where}
		defer disk.close()
		files = disk
	case readExtends != nil:
		files = funcFiles(readExtends)
	}
	return openSource(fileSource(filename, data), files, root, where, filename, o.overrides)
}

func canonical(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// source is one scenario file: on disk (or given to Parse) or bundled.
type source struct {
	id      string // identity for cycle detection
	display string // name in errors
	bundled bool
	dir     string // directory for relative extends (slash-separated when bundled)
	data    []byte
	loaded  bool
	// base marks a file named by an extends (not bundled): its content is
	// shown in errors only if it is a drsim scenario. name is the extends
	// value, written at namedAt.
	base    bool
	name    string
	namedAt Pos
}

type loader struct {
	files baseFiles // nil: only bundled names can be extended
	root  string    // the folder extends reads from, as given
	where string    // the root in errors
	errs  ErrorList
	chain []source
	bases []string // the paths of the files extends read (not bundled)
}

// openSource loads src and what it extends, applies the overrides to the
// merged tree and decodes it; file becomes Config.File.
func openSource(src source, files baseFiles, root, where, file string, overrides []Override) (*Resolved, error) {
	l := &loader{files: files, root: root, where: where}
	tree, idx, ok := l.load(src)
	if !ok {
		return nil, sortErrors(l.errs)
	}
	res, err := resolve(src.display, file, tree, idx, overrides, l.errs)
	if res != nil {
		res.Bases = l.bases
	}
	return res, err
}

func (l *loader) fail(file string, line, col int, p, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: file, Line: line, Col: col, Path: p, Msg: fmt.Sprintf(format, args...)})
}

// load reads src and whatever it extends, and returns the merged tree and
// position index.
func (l *loader) load(src source) (map[string]any, posIndex, bool) {
	if !src.loaded {
		data, err := l.read(src)
		if err != nil {
			l.fail(src.display, 0, 0, "", "%v", err)
			return nil, nil, false
		}
		src.data = data
	}
	if e := scanLimits(src.display, string(src.data)); e != nil {
		if src.base && !looksLikeScenario(string(src.data)) {
			l.notScenario(src, "is beyond the limits on a file")
		} else {
			l.errs = append(l.errs, e)
		}
		return nil, nil, false
	}
	tree := map[string]any{}
	if _, err := toml.Decode(string(src.data), &tree); err != nil {
		if src.base && !looksLikeScenario(string(src.data)) {
			l.notScenario(src, "is not valid TOML")
			return nil, nil, false
		}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The decoder's line is off by one at a newline; the byte
			// offset is exact.
			p := Pos{File: src.display, Line: pe.Position.Line, Col: pe.Position.Col}
			if pe.Position.Start >= 0 && pe.Position.Start <= len(src.data) {
				p = posAt(src.display, string(src.data), pe.Position.Start)
			}
			l.fail(p.File, p.Line, p.Col, "", "TOML syntax: %s", tomlMessage(pe.Message))
		} else {
			l.fail(src.display, 0, 0, "", "TOML: %v", err)
		}
		return nil, nil, false
	}
	if src.base && !isScenarioTree(tree) {
		l.notScenario(src, "lacks them")
		return nil, nil, false
	}
	idx := scanPositions(src.display, string(src.data))
	ext, has := tree["extends"]
	if !has {
		return tree, idx, true
	}
	at := idx["extends"].Pos
	name, ok := ext.(string)
	if !ok {
		l.fail(at.File, at.Line, at.Col, "extends", "expected a file path or a bundled scenario name, got %s", typeName(ext))
		return nil, nil, false
	}
	base, err := l.resolveExtends(src, name)
	if err != nil {
		l.fail(at.File, at.Line, at.Col, "extends", "%v", err)
		return nil, nil, false
	}
	l.chain = append(l.chain, src)
	defer func() { l.chain = l.chain[:len(l.chain)-1] }()
	for _, s := range l.chain {
		if s.id == base.id {
			names := make([]string, 0, len(l.chain)+1)
			for _, c := range l.chain {
				names = append(names, c.display)
			}
			names = append(names, base.display)
			l.fail(at.File, at.Line, at.Col, "extends", "cycle: %s", strings.Join(names, " → "))
			return nil, nil, false
		}
	}
	if len(l.chain) >= MaxExtendsChain {
		l.fail(at.File, at.Line, at.Col, "extends", "%s", limitErr("extends chain", "%s would be file %d of the chain", base.display, len(l.chain)+1))
		return nil, nil, false
	}
	base.namedAt = at
	if !base.bundled {
		l.bases = append(l.bases, base.display)
	}
	btree, bidx, ok := l.load(base)
	if !ok {
		return nil, nil, false
	}
	// name, description and extends are not inherited
	for _, k := range []string{"name", "description", "extends"} {
		delete(btree, k)
		dropUnder(bidx, k)
	}
	mergeInto(btree, tree, "", bidx)
	for p, e := range idx {
		bidx[p] = e
	}
	return btree, bidx, true
}

// tomlMessage adapts a TOML decoder message to this package's style.
func tomlMessage(m string) string {
	m = strings.TrimSuffix(strings.TrimSpace(m), ".")
	if m != "" && m[0] >= 'A' && m[0] <= 'Z' {
		m = strings.ToLower(m[:1]) + m[1:]
	}
	if strings.HasSuffix(m, "out of range for int64") {
		// TOML integers are 64-bit signed; seed is the one key where a
		// user meets the bound (--seed takes the same range).
		m += " (TOML integers go up to 9223372036854775807: the largest seed)"
	}
	return m
}

func (l *loader) read(src source) ([]byte, error) {
	if src.bundled {
		return bundledFS.ReadFile(src.id[len("bundled:"):])
	}
	return nil, fmt.Errorf("cannot read %s", src.display)
}

// dropUnder removes every index entry at or below p.
func dropUnder(idx posIndex, p string) {
	for k := range idx {
		if within(k, p) {
			delete(idx, k)
		}
	}
}

// mergeInto puts src on top of dst: tables merge deeply; anything else in
// src replaces dst's value whole, and the index entries of the replaced
// value are dropped (in one pass over the index, whatever the number of
// values replaced).
func mergeInto(dst, src map[string]any, at string, idx posIndex) {
	replaced := map[string]bool{}
	mergeTree(dst, src, at, replaced)
	if len(replaced) == 0 {
		return
	}
	for k := range idx {
		for p := k; ; p = parentPath(p) {
			if replaced[p] {
				delete(idx, k)
				break
			}
			if p == "" {
				break
			}
		}
	}
}

// mergeTree is mergeInto without the index: it adds the paths of the values
// of dst it replaced to replaced.
func mergeTree(dst, src map[string]any, at string, replaced map[string]bool) {
	for k, sv := range src {
		p := keyPath(at, k)
		if sm, ok := sv.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeTree(dm, sm, p, replaced)
				continue
			}
		}
		if _, had := dst[k]; had {
			replaced[p] = true
		}
		dst[k] = sv
	}
}
