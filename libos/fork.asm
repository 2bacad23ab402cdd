; fork (relay/process.h): one call returns twice, in the parent with the
; child's pid and in the child with 0, each with the callee-saved registers
; the caller left (the cdecl convention: EBX, ESI, EDI, EBP).
;
; They are pushed on the stack, and the stack pointer below them is where
; the child starts (PROC_FORK's esp), at .child (its eip): the child's
; stack is a copy-on-write copy of the parent's as it was during the
; call, so the child finds the same four words there and pops them.
; libos_fork_parent (process.c) makes the call; libos_fork_child
; re-initialises what libos keeps (relay/fork.h).  Each call is made with
; ESP 16-byte aligned, as the caller's was.

bits 32

section .text

global fork
extern libos_fork_parent, libos_fork_child
fork:
    push ebp
    push ebx
    push esi
    push edi
    mov eax, esp
    sub esp, 4
    push eax                        ; the child's esp
    push .child                     ; and its eip
    call libos_fork_parent          ; the child's pid, or -1 (errno says why)
    add esp, 12
.back:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
.child:                             ; every register 0 but ESP
    sub esp, 12
    call libos_fork_child           ; 0, or it ends the child
    add esp, 12
    jmp .back

section .note.GNU-stack noalloc noexec nowrite progbits
