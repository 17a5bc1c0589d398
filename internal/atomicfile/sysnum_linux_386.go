package atomicfile

// sysRenameat2 is renameat2's number in the i386 system call table
// (arch/x86/entry/syscalls/syscall_32.tbl); package syscall does not list it.
const sysRenameat2 = 353
