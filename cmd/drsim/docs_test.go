package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/spf13/cobra/doc"
)

// cliDocs is where the command reference lives: Markdown pages, and man
// pages under man/. 'go generate ./cmd/drsim' rewrites them.
const cliDocs = "../../docs/cli"

// manDate is the date the man pages carry. It is fixed, so that the pages
// are reproducible; change it with the CLI.
var manDate = time.Date(2026, time.November, 30, 0, 0, 0, 0, time.UTC)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/cli from the command tree")

// genDocs writes the Markdown and man pages of the command tree into dir.
func genDocs(dir string) error {
	root := newRootCmd(newEnv(nil, io.Discard, io.Discard))
	if err := os.MkdirAll(filepath.Join(dir, "man"), 0o755); err != nil {
		return err
	}
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		return err
	}
	header := &doc.GenManHeader{Title: "DRSIM", Section: "1", Date: &manDate, Source: "drsim", Manual: "drsim manual"}
	return doc.GenManTree(root, header, filepath.Join(dir, "man"))
}

// TestCLIDocs fails when docs/cli is not what the command tree generates
// (run 'go generate ./cmd/drsim').
func TestCLIDocs(t *testing.T) {
	got := t.TempDir()
	if err := genDocs(got); err != nil {
		t.Fatal(err)
	}
	if *updateDocs {
		for _, sub := range []string{"", "man"} {
			old, _ := filepath.Glob(filepath.Join(cliDocs, sub, "drsim*"))
			for _, f := range old {
				os.Remove(f)
			}
		}
		if err := genDocs(cliDocs); err != nil {
			t.Fatal(err)
		}
	}
	for _, sub := range []string{"", "man"} {
		want, err := filepath.Glob(filepath.Join(cliDocs, sub, "drsim*"))
		if err != nil {
			t.Fatal(err)
		}
		have, _ := filepath.Glob(filepath.Join(got, sub, "drsim*"))
		base := func(l []string) []string {
			var out []string
			for _, f := range l {
				out = append(out, filepath.Base(f))
			}
			return out
		}
		if !slices.Equal(base(want), base(have)) {
			t.Errorf("docs/cli/%s has %q, the command tree generates %q (run go generate ./cmd/drsim)", sub, base(want), base(have))
			continue
		}
		for _, f := range have {
			a, _ := os.ReadFile(f)
			b, _ := os.ReadFile(filepath.Join(cliDocs, sub, filepath.Base(f)))
			if !bytes.Equal(a, b) {
				t.Errorf("docs/cli/%s is out of date (run go generate ./cmd/drsim)", filepath.Join(sub, filepath.Base(f)))
			}
		}
	}
	// reproducible: a second generation is byte-identical
	again := t.TempDir()
	if err := genDocs(again); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"", "man"} {
		files, _ := filepath.Glob(filepath.Join(got, sub, "drsim*"))
		for _, f := range files {
			a, _ := os.ReadFile(f)
			b, _ := os.ReadFile(filepath.Join(again, sub, filepath.Base(f)))
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between two generations", filepath.Base(f))
			}
		}
	}
}
