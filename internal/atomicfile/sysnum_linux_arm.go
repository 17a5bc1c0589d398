package atomicfile

// sysRenameat2 is renameat2's number in the 32-bit ARM system call table
// (arch/arm/tools/syscall.tbl); package syscall does not list it.
const sysRenameat2 = 382
