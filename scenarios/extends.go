package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// extends is confined: CI validates scenario files from pull requests, so a
// file may not make drsim read, hang on or quote files outside the folder
// it was given.
//
//   - extends reads regular files under the root: the folder of the
//     scenario loaded, or the folder given with WithRoot. An absolute path
//     outside it, a ".." that leads out of it, and a symbolic link that
//     leads out of it are refused; so are folders, devices, named pipes and
//     sockets (their type is checked before they are opened, and they are
//     opened non-blocking, so that a named pipe swapped in between cannot
//     hang the load). The files are read through an os.Root, which refuses
//     every path that leaves the root, symbolic links on the way included.
//   - A bundled name can always be extended.
//   - A base is used only if it is a drsim scenario: it has its own name and
//     a horizon (or an extends that may give one). An error about a file that
//     is not says so at the extends that names it, and never quotes a byte of
//     it: a credentials file, /etc/passwd or another program's TOML must not
//     leak through an "unknown key" or a TOML syntax message.

// An Option changes how Load, Resolve, Parse and Open treat the files that
// a scenario extends, or (WithOverrides) the values it is loaded with.
type Option func(*options)

type options struct {
	root      string
	disk      bool
	overrides []Override // WithOverrides (override.go)
}

// WithRoot confines extends to regular files under the folder dir (and its
// subfolders), instead of under the folder of the scenario loaded; a file
// may then extend, for example, "../common/base.toml" when dir is their
// common parent. This is the CLI's --root DIR. dir is not opened until a
// file extends another; an error opening it is reported at that extends.
// WithRoot("") keeps the default.
func WithRoot(dir string) Option { return func(o *options) { o.root = dir } }

// FilesOnDisk makes Parse and ParseLocated read the files that extends
// names from disk, confined as Load confines them (regular files under the
// root: the folder of the filename given, or WithRoot), instead of through
// their readExtends, which is then ignored. It is for a scenario that does
// not come from a file, such as standard input.
func FilesOnDisk() Option { return func(o *options) { o.disk = true } }

func applyOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// baseFiles reads the files that extends names.
type baseFiles interface {
	// read returns the content of the file at p, which is rel under the
	// root, or an error wrapping fs.ErrNotExist when there is none, or an
	// error, without the file's content, saying why it may not be read.
	read(p, rel string) ([]byte, error)
}

// osFiles reads base files from the file system, under the root.
type osFiles struct {
	dir   string // the root, as given
	where string // the root in errors: rootName
	root  *os.Root
	err   error
}

// rootName names the root in errors: "the folder of snowy.toml" when it is
// the folder of the scenario loaded, else the root given.
func rootName(root, top string, given bool) string {
	if given {
		return root + " (the root extends reads from)"
	}
	return "the folder of " + top + " (give a root with --root to widen it)"
}

func (f *osFiles) close() {
	if f.root != nil {
		f.root.Close()
	}
}

func (f *osFiles) read(p, rel string) ([]byte, error) {
	if f.root == nil && f.err == nil {
		f.root, f.err = os.OpenRoot(f.dir)
	}
	if f.err != nil {
		// %v: a missing root is not a missing file
		return nil, fmt.Errorf("cannot open %s: %v", f.where, innermost(f.err))
	}
	st, err := f.root.Lstat(rel)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		st, err = f.root.Stat(rel) // follows links that stay under the root
	}
	if err != nil {
		return nil, f.readError(p, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a regular file", p, fileKind(st.Mode()))
	}
	fh, err := f.root.OpenFile(rel, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, f.readError(p, err)
	}
	defer fh.Close()
	// It may have been replaced since the Stat.
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", p, innermost(err))
	}
	return data, nil
}

// readError explains why the file at p cannot be read: it does not exist
// (the error wraps fs.ErrNotExist), a symbolic link leads out of the root,
// or what the system says.
func (f *osFiles) readError(p string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if leavesRoot(f.dir, p) {
		return fmt.Errorf("%s leads, through a symbolic link, outside %s", p, f.where)
	}
	if st, lerr := os.Lstat(p); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
		// A link os.Root will not follow, whose end does not resolve
		// (/dev/stdin → /proc/self/fd/0 → pipe:[…]): say what was
		// expected, not os.Root's "path escapes from parent".
		return fmt.Errorf("%s is a symbolic link that leads outside %s or to no file; want a regular scenario file", p, f.where)
	}
	return fmt.Errorf("cannot read %s: %w", p, innermost(err))
}

// leavesRoot reports whether p, with its symbolic links resolved, is outside
// root (with its own resolved).
func leavesRoot(root, p string) bool {
	rr, err1 := filepath.EvalSymlinks(root)
	rp, err2 := filepath.EvalSymlinks(p)
	if err1 != nil || err2 != nil {
		// a link to nothing, or a loop: os.Root refused it, and it does
		// not resolve under the root either
		return err2 != nil && !errors.Is(err2, fs.ErrNotExist)
	}
	_, inside := relUnder(rr, rp)
	return !inside
}

// innermost returns the error at the bottom of err's chain of wrapped
// errors ("permission denied" rather than "openat x: permission denied").
func innermost(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// fileKind names the type of a file that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// funcFiles reads base files with the function given to Parse. The root
// confines the paths asked for; the function is trusted with the rest.
type funcFiles func(path string) ([]byte, error)

func (f funcFiles) read(p, _ string) ([]byte, error) { return f(p) }

// relUnder returns the path of p relative to root and whether p is root or
// under it. Both are cleaned absolute paths.
func relUnder(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil || filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// resolveExtends finds the base named by extends in src: a file relative to
// src, under the root (a file wins), else a bundled name.
func (l *loader) resolveExtends(src source, name string) (source, error) {
	if strings.TrimSpace(name) == "" {
		return source{}, errors.New("empty; give a file path or a bundled scenario name")
	}
	if src.bundled {
		p := path.Clean(path.Join(src.dir, name))
		if st, err := fs.Stat(bundledFS, p); err == nil && !st.IsDir() {
			return source{id: "bundled:" + p, display: p, bundled: true, dir: path.Dir(p)}, nil
		}
	} else if l.files != nil {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(src.dir, name)
		}
		rel, inside := relUnder(canonical(l.root), canonical(p))
		if !inside {
			return source{}, fmt.Errorf("%q is outside %s", name, l.where)
		}
		data, err := l.files.read(p, rel)
		if err == nil {
			return source{id: "file:" + canonical(p), display: p, dir: filepath.Dir(p), data: data, loaded: true, base: true, name: name}, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return source{}, err
		}
	}
	stem := strings.TrimSuffix(path.Base(filepath.ToSlash(name)), ".toml")
	if !strings.ContainsAny(name, `/\`) {
		if p, ok := bundledPaths()[stem]; ok {
			return source{id: "bundled:" + p, display: p, bundled: true, dir: path.Dir(p)}, nil
		}
	}
	return source{}, fmt.Errorf("no file %q next to %s and no bundled scenario %q%s", name, src.display, stem, suggest(stem, bundledNames(true)))
}

// A drsim scenario is recognised by its own name and a horizon, written in
// it or inherited through its own extends.
func isScenarioTree(tree map[string]any) bool {
	_, name := tree["name"]
	_, horizon := tree["horizon"]
	_, extends := tree["extends"]
	return name && (horizon || extends)
}

// looksLikeScenario is isScenarioTree for a text that does not decode (or
// is not decoded because it exceeds a limit): the keys before the first
// table header, found line by line.
func looksLikeScenario(src string) bool {
	keys := map[string]bool{}
	for line := range strings.Lines(src) {
		t := strings.TrimLeft(line, " \t\ufeff")
		if strings.HasPrefix(t, "[") {
			break
		}
		k, _, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') && k[len(k)-1] == k[0] {
			k = k[1 : len(k)-1]
		}
		keys[k] = true
	}
	return keys["name"] && (keys["horizon"] || keys["extends"])
}

// notScenario reports at the extends that named base that it is not a drsim
// scenario, without a byte of its content. why says what this file is.
func (l *loader) notScenario(base source, why string) {
	at := base.namedAt
	l.fail(at.File, at.Line, at.Col, "extends", "%q is not a drsim scenario (a scenario has its own name and a horizon, and this file %s); nothing of it is shown", base.name, why)
}
