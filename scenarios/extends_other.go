//go:build !unix

package scenarios

// openNonblock is 0 where opening a file cannot block on a named pipe the
// way it does on Unix.
const openNonblock = 0
