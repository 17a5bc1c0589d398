package importcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/internal/atomicfile"
	"github.com/drsim/drsim/scenarios"
)

// outputs is what checkOutputs found about the files an import writes.
type outputs struct {
	// created are the folders writing -o creates, outermost first.
	created []string
	// overlayData is the text of the overlay when it exists (nil when it
	// does not: it is to be written).
	overlayData []byte
}

// checkOutputs checks, before any input is read, the files the import
// writes, as drsim's other outputs are checked (atomicfile.CheckFile): -o
// and --overlay must be regular files or not exist (a symbolic link is
// followed), in a folder where files can be created; an -o file that exists
// must have been written by drsim import (its first line is
// importer.Header; only that line is read) unless req.Force; an overlay
// that exists is read, to check that it extends -o once the import is
// rendered (readOverlay). A path that cannot be written is a *WriteError
// (exit status 5), a file drsim import will not overwrite an *InputError.
func checkOutputs(ctx context.Context, req Request) (outputs, error) {
	var o outputs
	if req.Output == "" {
		return o, nil
	}
	if err := atomicfile.CheckFile(req.Output); err != nil {
		return o, &WriteError{fmt.Errorf("import: -o %s: %w", req.Output, err)}
	}
	var head []byte
	err := cancellable(ctx, func() (err error) {
		head, err = readHead(req.Output, len(importer.Header))
		return err
	})
	switch {
	case err == ErrInterrupted:
		return o, err
	case errors.Is(err, fs.ErrNotExist):
		o.created = missingFolders(req.Output)
	case err != nil:
		return o, &InputError{fmt.Errorf("import: -o %s: %w", req.Output, err)}
	case !req.Force && !bytes.Equal(head, []byte(importer.Header)):
		return o, &InputError{fmt.Errorf("import: %s exists and was not written by drsim import: not overwritten (write to another file, or use --force)", req.Output)}
	}
	if req.Overlay == "" {
		return o, nil
	}
	if err := atomicfile.CheckFile(req.Overlay); err != nil {
		return o, &WriteError{fmt.Errorf("import: --overlay %s: %w", req.Overlay, err)}
	}
	err = cancellable(ctx, func() (err error) {
		o.overlayData, err = readHead(req.Overlay, scenarios.MaxFileSize+1)
		return err
	})
	switch {
	case err == ErrInterrupted:
		return o, err
	case errors.Is(err, fs.ErrNotExist):
		o.overlayData = nil
	case err != nil:
		return o, &InputError{fmt.Errorf("import: --overlay %s: %w", req.Overlay, err)}
	case len(o.overlayData) > scenarios.MaxFileSize:
		return o, &InputError{fmt.Errorf("import: --overlay %s exists and is larger than a scenario file can be (1 MiB): it is not your overlay; give the file that extends %s", req.Overlay, filepath.Base(req.Output))}
	}
	return o, nil
}

// readHead reads at most n bytes from the start of the file at path, which
// atomicfile.CheckFile found to be a regular file (or a link to one) or
// absent. Only regular files are opened for reading (checked again on the
// open file).
func readHead(path string, n int) ([]byte, error) {
	target, err := atomicfile.Target(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(target); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(target)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return io.ReadAll(io.LimitReader(f, int64(n)))
}

// missingFolders lists the folders on the way to path that do not exist,
// outermost first: those writing path creates.
func missingFolders(path string) []string {
	var out []string
	for dir := filepath.Dir(filepath.Clean(path)); ; {
		if _, err := os.Stat(dir); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		out = append([]string{dir}, out...)
		up := filepath.Dir(dir)
		if up == dir {
			break
		}
		dir = up
	}
	return out
}

// readOverlay loads the existing overlay (data) on top of the import about
// to be written (imported, the text for req.Output) and returns what it
// leaves to fill in and its other problems. An overlay that does not
// extend req.Output, directly or through the files it extends, is not the
// user's overlay of this import: an *InputError, and nothing is written.
func readOverlay(req Request, data, imported []byte) (*importer.Fill, []string, error) {
	out, err := filepath.Abs(req.Output)
	if err != nil {
		return nil, nil, &InputError{fmt.Errorf("import: %w", err)}
	}
	extends := false
	read := func(p string) ([]byte, error) {
		if a, err := filepath.Abs(p); err == nil && a == out {
			extends = true
			return imported, nil
		}
		// Another file of the chain: only a regular file, bounded.
		if _, err := os.Stat(p); err != nil {
			return nil, err
		}
		data, err := readHead(p, scenarios.MaxFileSize+1)
		if err != nil {
			return nil, err
		}
		return data, nil
	}
	_, err = scenarios.Parse(req.Overlay, data, read)
	var el scenarios.ErrorList
	if err != nil && !errors.As(err, &el) {
		el = scenarios.ErrorList{{File: req.Overlay, Msg: err.Error()}}
	}
	if !extends {
		why := ""
		for _, e := range el {
			if strings.Contains(e.Msg, "(limit ") {
				why = "it goes over a limit of scenario files: " + e.Msg
				break
			}
		}
		if why == "" {
			why = overlayExtends(data) // safe: within the limits scenarios checks first
		}
		return nil, nil, &InputError{fmt.Errorf("import: --overlay %s exists and does not extend %s (%s): it is not the overlay of this import; give the file of yours that extends %s, or a new file's name for a starter",
			req.Overlay, filepath.Base(req.Output), why, filepath.Base(req.Output))}
	}
	fill := &importer.Fill{Overlay: req.Overlay, Left: []string{}}
	var problems []string
	for _, e := range el {
		if e.IsPlaceholder() {
			fill.Left = append(fill.Left, e.Path)
			continue
		}
		problems = append(problems, e.Error())
	}
	return fill, problems, nil
}

// overlayExtends says, for a message, what a file that does not extend the
// import names in its extends.
func overlayExtends(data []byte) string {
	var top struct{ Extends any }
	if _, err := toml.Decode(string(data), &top); err != nil {
		return "it is not a TOML file: " + firstLine(err.Error())
	}
	switch x := top.Extends.(type) {
	case nil:
		return "it has no extends"
	case string:
		return fmt.Sprintf("its extends names %q", x)
	}
	return "its extends is not a file name"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// writeFile writes data to path atomically (internal/atomicfile): a failed
// write leaves the old file.
func writeFile(path string, data []byte) error {
	atomicfile.RemoveStale(filepath.Dir(path), atomicfile.StaleAfter)
	err := atomicfile.WriteFile(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return &WriteError{fmt.Errorf("import: %w", err)}
	}
	return nil
}
