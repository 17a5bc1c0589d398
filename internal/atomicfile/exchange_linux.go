//go:build linux && (amd64 || 386 || arm || arm64 || loong64 || mips64 || mips64le || riscv64 || s390x)

package atomicfile

import (
	"syscall"
	"unsafe"
)

// renameExchange is RENAME_EXCHANGE of renameat2(2) (linux/fs.h), and
// atFDCWD is AT_FDCWD (linux/fcntl.h): paths relative to the current folder.
const (
	renameExchange = 1 << 1
	atFDCWD        = -100
)

// exchange swaps the folders a and b in one atomic step with renameat2(2)
// and RENAME_EXCHANGE (Linux 3.15 and later, on ext4, XFS, Btrfs, tmpfs and
// most other local file systems). It fails where the kernel or the file
// system does not support it; the caller then moves files one by one.
func exchange(a, b string) error {
	pa, err := syscall.BytePtrFromString(a)
	if err != nil {
		return err
	}
	pb, err := syscall.BytePtrFromString(b)
	if err != nil {
		return err
	}
	cwd := atFDCWD
	_, _, errno := syscall.Syscall6(sysRenameat2,
		uintptr(cwd), uintptr(unsafe.Pointer(pa)),
		uintptr(cwd), uintptr(unsafe.Pointer(pb)),
		renameExchange, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
