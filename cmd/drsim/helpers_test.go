package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testEnv is an env with in-memory streams, a quiet terminal test and the
// given standard input.
func testEnv(stdin string) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(stdin), &out, &errb)
	return e, &out, &errb
}

// drsimEnv runs the CLI in e with ctx and returns its exit code; the
// output is in e's buffers.
func drsimEnv(t *testing.T, ctx context.Context, e *env, args ...string) int {
	t.Helper()
	err := e.run(ctx, args)
	return reportError(e.stderr, err)
}

// drsimStdin runs the CLI with stdin as standard input.
func drsimStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	e, out, errb := testEnv(stdin)
	code = drsimEnv(t, context.Background(), e, args...)
	return code, out.String(), errb.String()
}

// built is the drsim binary the subprocess tests run, built once.
var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// drsimBinary builds drsim (with version control information, so that
// 'drsim version' shows the revision) into a temporary folder once, and
// returns its path. It skips the test where Go cannot build here.
func drsimBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "drsim-test-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "drsim")
		cmd := exec.Command("go", "build", "-o", built.path, ".")
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=auto")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Skipf("cannot build drsim: %v\n%s", built.err, built.out)
	}
	return built.path
}

// readAll reads a file or fails the test.
func readAll(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dirNames lists a folder.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}
