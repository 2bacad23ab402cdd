; The entry path of all 256 vectors.
;
; Each vector gets a stub, generated here by a %rep loop: it pushes a zero
; where the CPU pushes no error code (the list of those that do comes from
; vectors.def, through the generated errcode.inc), then its vector number,
; and jumps to trap_entry.  Each stub emits its own entry of vector_stubs,
; so the stubs and the table the IDT is built from cannot drift.
;
; trap_entry saves the rest of struct trap_frame (trapframe.h) -- general
; registers, data selectors, and a cr2 of 0 -- sets EFLAGS and the data
; selectors to the kernel's and calls trap_dispatch(frame).  The #PF stub
; goes to pf_entry instead, the same but for CR2, which it reads before
; anything can fault again: only a page fault's frame carries CR2, so no
; other record can show another address space's last fault address.
; trap_return undoes it all and irets.  The system-call vector's IDT entry
; is syscall_entry itself, which pushes what a stub would and calls the
; call's handler straight from the table (syscall.c); the interrupts' stubs
; go to irq_entry, which calls irq_dispatch.  Neither saves FS and GS
; (ENTRY_SAVE lean): a fault record is the only frame that shows them.

%include "asm_offsets.inc"

%macro PUSHES_ERROR_CODE 1
    %define HAS_ERROR_CODE_%1
%endmacro
%include "errcode.inc"

; trap_entry's pushes must land where struct trap_frame says they do.
%if TF_CR2 != 0 || TF_GS != 4 || TF_DS != 16 || TF_EDI != 20 || TF_EAX != 48
    %error "struct trap_frame disagrees with trap_entry's pushes"
%endif
%if TF_VECTOR != 52 || TF_ERROR_CODE != 56 || TF_EIP != 60 || TF_KERNEL_SIZE != 72
    %error "struct trap_frame disagrees with the stubs' and the CPU's pushes"
%endif

bits 32
extern trap_dispatch, irq_dispatch, syscall_table, sched_exit_work, sched_exit_slow, double_fault_main

; The test kernel (-DRELAY_CHECK) measures the longest non-preemptible path:
; from an entry that interrupted ring 3 or the idle loop (IF set in the
; interrupted EFLAGS) to the iret back to either (check.c).
%ifdef RELAY_CHECK
extern check_exit, check_entry_tsc, check_entry_vector, check_entry_eax, check_entries
%macro CHECK_ENTRY 0
    test dword [esp + TF_EFLAGS], EFLAGS_IF
    jz %%nested
    inc dword [check_entries]
    mov eax, [esp + TF_VECTOR]
    mov [check_entry_vector], eax
    mov eax, [esp + TF_EAX]
    mov [check_entry_eax], eax
    rdtsc
    mov [check_entry_tsc], eax
    mov [check_entry_tsc + 4], edx
%%nested:
%endmacro
%macro CHECK_EXIT 0
    test dword [esp + TF_EFLAGS], EFLAGS_IF
    jz %%nested
    call check_exit               ; cdecl: EAX, ECX, EDX are in the frame, popa restores them
%%nested:
%endmacro
%else
%macro CHECK_ENTRY 0
%endmacro
%macro CHECK_EXIT 0
%endmacro
%endif

; Back to the interrupted code: undo ENTRY_SAVE's pushes, then iret.  A
; lean frame's FS and GS were never saved, and are left as they are.
%macro ENTRY_RETURN 1             ; full or lean, as the frame was saved
    CHECK_EXIT
  %ifidn %1, lean
    add esp, 12                   ; cr2, gs, fs
  %else
    add esp, 4                    ; cr2
    pop gs
    pop fs
  %endif
    pop es
    pop ds
    popa
    add esp, 8                    ; vector, error code
    iret
%endmacro

section .rodata
align 4
global vector_stubs
vector_stubs:

%assign v 0
%rep VECTOR_COUNT
  %if v == SYSCALL_VECTOR
section .rodata
    dd syscall_entry
  %else
section .text
align 8
vector_stub_%[v]:
    %ifndef HAS_ERROR_CODE_%[v]
    push 0
    %endif
    push v
    %if v == VEC_PF
    jmp pf_entry
    %elif v >= IRQ_BASE && v < IRQ_BASE + IRQ_COUNT
    jmp irq_entry
    %else
    jmp trap_entry
    %endif
section .rodata
    dd vector_stub_%[v]
  %endif
%assign v v + 1
%endrep

; The common part of every entry: the rest of the frame, then the kernel's
; own EFLAGS and data selectors.  The gate already cleared IF, TF, NT and RF;
; popfd also clears DF and AC, which ring 3 may have set, and IOPL.  What it
; stores for FS, GS and cr2: an exception's selectors and cr2 (read from CR2)
; or 0, or, for the lean entries below, nothing.
%macro ENTRY_SAVE 1               ; cr2, zero or lean
    pusha
    push ds
    push es
  %ifidn %1, lean
    sub esp, 12                   ; fs, gs, cr2: unwritten
  %else
    push fs
    push gs
    %ifidn %1, cr2
    mov eax, cr2
    push eax
    %else
    push 0
    %endif
  %endif
    push EFLAGS_KERNEL
    popfd
    mov ax, SEL_KERNEL_DATA
    mov ds, ax
    mov es, ax
    CHECK_ENTRY
%endmacro

section .text
align 16
pf_entry:
    ENTRY_SAVE cr2
    jmp trap_common

align 16
trap_entry:
    ENTRY_SAVE zero
trap_common:
    push esp                      ; struct trap_frame *
    call trap_dispatch
    add esp, 4
global trap_return
trap_return:
    ENTRY_RETURN full

; The lean entries, for system calls and interrupts (ENTRY_SAVE lean):
; their frames leave FS, GS and CR2 unwritten.  No kernel code loads FS or
; GS, so they stay the interrupted thread's in the CPU, and switch_context
; keeps them for each thread; the exit (ENTRY_RETURN lean) leaves them as
; they are.  Only a fault's record carries a thread's FS and GS, and only
; trap_entry and pf_entry save them.

; Every entry ends in sched_exit: sched_exit_slow only if there is work.
%macro LEAN_EXIT 0
    cmp dword [sched_exit_work], 0
    jne .work
    ENTRY_RETURN lean
.work:
    call sched_exit_slow
    ENTRY_RETURN lean
%endmacro

; The system-call gate's own path: the trap frame (error code 0, vector
; 0x80), then the handler for EAX's low byte, called with the frame
; in EAX and the timeout (EAX's upper bits) in EDX (regparm(2),
; syscall_impl.h); the table has all 256 (ERR_NO_SYSCALL for a number no
; call has).
align 16
global syscall_entry
syscall_entry:
    push 0
    push SYSCALL_VECTOR
    ENTRY_SAVE lean
    mov eax, esp                  ; struct trap_frame *
    mov edx, [esp + TF_EAX]
    movzx ecx, dl                 ; the call number
    shr edx, SYSCALL_TIMEOUT_SHIFT
    call [syscall_table + ecx * 4]
    LEAN_EXIT

; An interrupt, from ring 3 or the idle loop (the kernel runs with IF clear):
; irq_dispatch(frame) (irq.c), then out as a system call goes.
align 16
irq_entry:
    ENTRY_SAVE lean
    push esp                      ; struct trap_frame *
    call irq_dispatch
    add esp, 4
    LEAN_EXIT

; The #DF task starts here on its own stack, with the CPU's error code on top.
global double_fault_entry
double_fault_entry:
    xor ebp, ebp
    call double_fault_main        ; reads the error code as its argument; never returns
.halt:
    cli
    hlt
    jmp .halt
