//go:build unix

package scenarios

import "syscall"

// openNonblock opens base files non-blocking: opening a named pipe that
// replaced a checked regular file returns at once instead of waiting for
// a writer.
const openNonblock = syscall.O_NONBLOCK
