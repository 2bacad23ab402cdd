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
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

global thread_first_run
thread_first_run:
    call thread_reap
    jmp trap_return
