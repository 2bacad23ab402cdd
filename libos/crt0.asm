; Where every program and every thread libos starts begins.
;
; _start: the kernel (for the root task) or spawn (for every other) starts
; the main thread here with ESP = STACK_TOP, 16-byte aligned, and the
; startup page at STARTUP_VADDR (relay/start.h).  libos_start never returns.
;
; libos_thread_entry: where thread_spawn starts a thread, with ESP at the
; top of its stack slot (relay/thread.h); libos_thread_main never returns.
;
; Both clear EBP so that a backtrace ends here.

bits 32

section .text

global _start
extern libos_start
_start:
    xor ebp, ebp
    call libos_start
    ud2

global libos_thread_entry
extern libos_thread_main
libos_thread_entry:
    xor ebp, ebp
    call libos_thread_main
    ud2

section .note.GNU-stack noalloc noexec nowrite progbits
