// Package atomicfile writes output files and folders so that a reader, or
// a run killed at any moment, sees the previous complete output or the new
// complete one, never a mix or a truncated file.
//
// A file is written to a temporary file in the target's folder, flushed to
// disk (fsync), given its mode and renamed over the target; the folder is
// then synced so that the rename itself survives a crash (rename(2) within a
// file system is atomic on POSIX systems, and Go's os.Rename replaces an
// existing file on Windows with MoveFileEx(MOVEFILE_REPLACE_EXISTING)).
//
// A folder of outputs is staged: every file is written into a sibling
// temporary folder, which then takes the target's place. On Linux the two
// folders are exchanged with renameat2(2) and RENAME_EXCHANGE, one atomic
// step; where the OS or the file system cannot exchange, or the target holds
// files the new set does not replace (they are kept), the staged files are
// renamed into the target one by one, each atomically, the ".json" files
// last, so that a reader who sees the new JSON sees the new set.
//
// Only regular files are replaced: an output path that is a device
// (/dev/null), a FIFO or a socket is refused before anything is read from
// or written to it, and a symbolic link is followed, so that the file it
// points to is updated and the link kept.
//
// Temporary files and folders carry drsim's own prefix (".drsim-tmp-",
// ".drsim-stage-"); RemoveStale deletes those left behind by a killed run.
//
// The package is hand-written and uses the standard library only: the
// maintained atomic-write libraries write single files, and none swaps a
// folder.
package atomicfile
