package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The prefixes of drsim's temporary files and staging folders.
const (
	TempPrefix  = ".drsim-tmp-"
	StagePrefix = ".drsim-stage-"
)

// StaleAfter is how long a temporary file or staging folder must have been
// left unchanged before RemoveStale deletes it: far longer than writing any
// output takes, so that a run in progress never loses its own.
const StaleAfter = time.Hour

// tempPattern is the os.CreateTemp pattern for a temporary sibling of a
// file or folder named base (its name cut to 64 bytes, so that the
// temporary name stays within any file system's limit).
func tempPattern(prefix, base string) string {
	if len(base) > 64 {
		base = base[:64]
	}
	return prefix + base + "-*"
}

// WriteFile writes path atomically: write is called with a buffered writer
// on a temporary file in path's folder, which is then synced to disk, given
// the mode perm and renamed over path. Missing parent folders are created.
// If path is a symbolic link, the file it points to is written (in that
// file's folder) and the link is kept. Only a regular file is replaced: a
// path that is a folder, a device, a FIFO or a socket, or a link to one, or
// a link that points to nothing, is an error, and nothing is read from or
// written to it. If write fails, or anything else does, the temporary file
// is removed and path is left as it was. The error names path and wraps the
// cause; an error returned by write is returned wrapped.
func WriteFile(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	path, err = Target(path)
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	f, err := os.CreateTemp(dir, tempPattern(TempPrefix, filepath.Base(path)))
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir flushes a folder's entries to disk, so that a rename in it
// survives a crash. It is best effort: some systems (Windows) cannot open a
// folder for syncing, and the rename is atomic either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Stage is a staging folder for a set of outputs that is to replace a
// target folder as a whole. Write the files into Dir, then Commit; Abort
// removes the staging folder.
type Stage struct {
	target string
	dir    string
	done   bool
}

// NewStage creates a staging folder for target: a new, empty folder next to
// it (in the same file system, so that it can be renamed into place),
// creating target's parent folders if missing. It fails if target exists
// and is not a folder.
func NewStage(target string) (*Stage, error) {
	target = filepath.Clean(target)
	if err := checkNotRoot(target); err != nil {
		return nil, err
	}
	if st, err := os.Stat(target); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("atomicfile: %s is a file, not a folder", target)
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return nil, fmt.Errorf("atomicfile: %w", err)
	}
	dir, err := os.MkdirTemp(parent, tempPattern(StagePrefix, filepath.Base(target)))
	if err != nil {
		return nil, fmt.Errorf("atomicfile: %w", err)
	}
	return &Stage{target: target, dir: dir}, nil
}

// Dir returns the staging folder, where the new set is to be written.
func (s *Stage) Dir() string { return s.dir }

// Target returns the folder that Commit replaces.
func (s *Stage) Target() string { return s.target }

// Abort removes the staging folder and everything in it; the target is
// left as it was. It does nothing after Commit or a previous Abort.
func (s *Stage) Abort() error {
	if s.done {
		return nil
	}
	s.done = true
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	return nil
}

// How Commit put the new set in place.
const (
	Renamed      = "renamed"      // the target did not exist: the staging folder was renamed to it
	Exchanged    = "exchanged"    // the two folders were exchanged in one atomic step
	FileByFile   = "file by file" // each file was renamed into the target, the JSON last
	notCommitted = ""
)

// Commit puts the staged set in place of the target and removes the
// staging folder, and returns how (Renamed, Exchanged or FileByFile). The
// target is exchanged whole only when every file and folder in it is
// replaced by one of the new set: files of another origin in the target
// are never deleted. If the target is a symbolic link, the folder it points
// to is replaced. After an error the staging folder is removed and the
// target holds the old set, or, in the file-by-file case, the files renamed
// so far.
func (s *Stage) Commit() (how string, err error) {
	if s.done {
		return notCommitted, errors.New("atomicfile: stage already committed or aborted")
	}
	defer func() {
		s.done = true
		if rerr := os.RemoveAll(s.dir); rerr != nil && err == nil {
			err = fmt.Errorf("atomicfile: removing the staging folder: %w", rerr)
		}
	}()
	target := s.target
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real
	}
	mode := fs.FileMode(0o755)
	st, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Chmod(s.dir, mode); err != nil {
			return notCommitted, fmt.Errorf("atomicfile: %w", err)
		}
		if err := os.Rename(s.dir, target); err == nil {
			syncDir(filepath.Dir(target))
			return Renamed, nil
		}
		// created meanwhile: replace it as below
		if st, err = os.Stat(target); err != nil {
			return notCommitted, fmt.Errorf("atomicfile: %w", err)
		}
	case err != nil:
		return notCommitted, fmt.Errorf("atomicfile: %w", err)
	}
	if !st.IsDir() {
		return notCommitted, fmt.Errorf("atomicfile: %s is a file, not a folder", s.target)
	}
	if err := os.Chmod(s.dir, st.Mode().Perm()); err != nil {
		return notCommitted, fmt.Errorf("atomicfile: %w", err)
	}
	if ok, err := replaces(s.dir, target); err != nil {
		return notCommitted, err
	} else if ok && exchange(s.dir, target) == nil {
		syncDir(filepath.Dir(target))
		return Exchanged, nil // the deferred RemoveAll deletes the old set
	}
	if err := moveFiles(s.dir, target); err != nil {
		return notCommitted, err
	}
	return FileByFile, nil
}

// replaces reports whether the set in staged replaces everything in old:
// every file of old is a regular file with a regular file of the same path
// in staged, every folder a folder.
func replaces(staged, old string) (bool, error) {
	ok := true
	err := filepath.WalkDir(old, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == old {
			return nil
		}
		rel, err := filepath.Rel(old, p)
		if err != nil {
			return err
		}
		st, serr := os.Lstat(filepath.Join(staged, rel))
		switch {
		case serr != nil:
			ok = false
		case e.IsDir():
			ok = st.IsDir()
		case e.Type().IsRegular():
			ok = st.Mode().IsRegular()
		default: // a link, a device, ...: not ours
			ok = false
		}
		if !ok {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("atomicfile: %w", err)
	}
	return ok, nil
}

// moveFiles renames every file under staged to the same path under target,
// creating folders as needed, the ".json" files last.
func moveFiles(staged, target string) error {
	var files []string
	err := filepath.WalkDir(staged, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			rel, err := filepath.Rel(staged, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	sort.SliceStable(files, func(i, j int) bool {
		return !isJSON(files[i]) && isJSON(files[j])
	})
	dirs := map[string]bool{}
	for _, rel := range files {
		dst := filepath.Join(target, rel)
		d := filepath.Dir(dst)
		if !dirs[d] {
			if err := os.MkdirAll(d, 0o777); err != nil {
				return fmt.Errorf("atomicfile: %w", err)
			}
			dirs[d] = true
		}
		if st, err := os.Lstat(dst); err == nil && st.IsDir() {
			return fmt.Errorf("atomicfile: %s is a folder, not a file", dst)
		}
		if err := os.Rename(filepath.Join(staged, rel), dst); err != nil {
			return fmt.Errorf("atomicfile: %w", err)
		}
	}
	for d := range dirs {
		syncDir(d)
	}
	return nil
}

func isJSON(name string) bool { return strings.EqualFold(filepath.Ext(name), ".json") }

// RemoveStale removes drsim's temporary files and staging folders in dir
// (names starting with TempPrefix or StagePrefix) in which nothing has
// changed for olderThan, and returns the paths it removed. Anything else in
// dir is left alone. A dir that does not exist has nothing stale.
func RemoveStale(dir string, olderThan time.Duration) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("atomicfile: %w", err)
	}
	cutoff := time.Now().Add(-olderThan)
	var removed []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, TempPrefix) && !strings.HasPrefix(name, StagePrefix) {
			continue
		}
		p := filepath.Join(dir, name)
		if newest(p).After(cutoff) {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return removed, fmt.Errorf("atomicfile: %w", err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// newest returns the latest modification time of p and, for a folder, of
// everything in it.
func newest(p string) time.Time {
	var t time.Time
	filepath.WalkDir(p, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := e.Info(); err == nil && info.ModTime().After(t) {
			t = info.ModTime()
		}
		return nil
	})
	return t
}

// CheckFile reports, without creating anything that stays, whether a file
// can be written at path by WriteFile: path does not exist or is a regular
// file (or a symbolic link to one: Target), and the nearest existing folder
// on its way is a folder in which a file can be created (checked by
// creating and removing a temporary file there).
func CheckFile(path string) error {
	path, err := Target(path)
	if err != nil {
		return err
	}
	return checkParent(path)
}

// Target returns the file that WriteFile writes for path: path itself, or,
// when path is a symbolic link, the file the link points to, followed to
// the end. It returns an error when that file exists and is not a regular
// file (a folder, a character or block device such as /dev/null, a FIFO, a
// socket), which drsim never replaces, or when the link points to nothing.
// It only looks: it never opens path, so a FIFO does not block it.
func Target(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		// Nothing there (or a file on the way: the caller's check of
		// the folders says so).
		return path, nil
	}
	target := path
	if st.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s is a symbolic link to a file that does not exist", path)
			}
			return "", err
		}
		if st, err = os.Stat(real); err != nil {
			return "", err
		}
		target = real
	}
	switch m := st.Mode(); {
	case m.IsRegular():
		return target, nil
	case m.IsDir():
		return "", fmt.Errorf("%s is a folder, not a file", path)
	default:
		return "", fmt.Errorf("%s is %s, not a regular file: drsim writes only regular files", path, fileKind(m))
	}
}

// fileKind names the kind of a file that is not regular.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// CheckDir reports, without creating anything that stays, whether a folder
// of outputs can be staged and committed at path: path is a folder or does
// not exist, and the nearest existing folder above it is a folder in which
// a file can be created.
func CheckDir(path string) error {
	path = filepath.Clean(path)
	if err := checkNotRoot(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is a file, not a folder", path)
	}
	return checkParent(path)
}

// checkNotRoot refuses a path that is the root of a file system ("/",
// "//", "C:\\"): a folder of outputs is staged beside itself and swapped
// in, and the root has no "beside".
func checkNotRoot(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("%s is the root folder, which cannot be an output folder (a folder of outputs is written beside itself and then swapped in); name a folder under it, such as %s", path, filepath.Join(abs, "drsim-out"))
	}
	return nil
}

// checkParent finds the nearest existing ancestor of path and checks that
// it is a folder where files can be created.
func checkParent(path string) error {
	dir := filepath.Dir(filepath.Clean(path))
	for {
		st, err := os.Stat(dir)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("%s is a file, not a folder", dir)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		up := filepath.Dir(dir)
		if up == dir {
			return err
		}
		dir = up
	}
	f, err := os.CreateTemp(dir, TempPrefix+"check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("cannot create files in %s: %w", dir, pe.Err)
		}
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
