//go:build !(linux && (amd64 || 386 || arm || arm64 || loong64 || mips64 || mips64le || riscv64 || s390x))

package atomicfile

import "errors"

// exchange is not available on this system: Commit moves files one by one.
func exchange(a, b string) error {
	return errors.New("atomicfile: no atomic folder exchange on this system")
}
