; Kernel stack switching between threads: see switch.h.

bits 32
section .text
extern trap_return, thread_reap

global switch_context
switch_context:
    mov eax, [esp + 4]            ; where to save this stack's ESP
    mov edx, [esp + 8]            ; the stack to switch to
    push ebp
    push ebx
    push esi
    push edi
    push fs                       ; a system call leaves the user's FS and GS in the
    push gs                       ; CPU (vectors.asm): each thread keeps its own here
    mov [eax], esp
    mov esp, edx
    pop gs
    pop fs
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

global thread_first_run
thread_first_run:
    call thread_reap
    jmp trap_return
