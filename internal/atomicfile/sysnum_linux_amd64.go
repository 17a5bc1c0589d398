package atomicfile

// sysRenameat2 is renameat2's number in the x86-64 system call table
// (arch/x86/entry/syscalls/syscall_64.tbl); package syscall does not list it.
const sysRenameat2 = 316
