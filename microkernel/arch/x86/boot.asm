; The kernel's entry from a Multiboot v1 loader (GRUB, or QEMU -kernel).
;
; The loader enters _start in 32-bit protected mode with paging off, EAX =
; 0x2BADB002 and EBX = the physical address of the Multiboot information.
; _start runs at its physical address (section .boot is linked there); it
; zeroes .bss, turns paging on with 4 MiB pages -- the first 4 MiB identity
; mapped, so this code keeps running, and the direct map at KERNBASE -- and
; jumps to the kernel proper in the higher half.  paging_init() later swaps
; these boot tables for the final 4 KiB ones and drops the identity map.

%include "asm_offsets.inc"

MB_MAGIC      equ 0x1BADB002
MB_PAGE_ALIGN equ 1 << 0          ; modules on page boundaries
MB_MEMORY     equ 1 << 1          ; we want mem_* and the memory map
MB_FLAGS      equ MB_PAGE_ALIGN | MB_MEMORY


%define PHYS(sym) ((sym) - KERNBASE)

section .multiboot progbits alloc noexec nowrite align=4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .boot progbits alloc exec nowrite align=16
bits 32
global _start
extern kmain, __bss_start, __bss_end
_start:
    cld                           ; the loader's DF is unknown: rep stosd below counts up
    mov esi, eax                  ; keep the loader's magic
    rdtsc                         ; guest instructions so far, under -icount
    mov [PHYS(boot_tsc_entry)], eax
    mov [PHYS(boot_tsc_entry) + 4], edx

    mov edi, PHYS(__bss_start)    ; .bss holds the boot tables and stacks: zero it first
    mov ecx, PHYS(__bss_end)
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    ; The boot page directory: PDE 0 identity-maps 0..4 MiB, and the
    ; DIRECT_MAX / 4 MiB entries from KERNBASE map physical 0.. upwards.
    mov dword [PHYS(boot_pd)], PDE_LARGE_RW
    mov edi, PHYS(boot_pd) + (KERNBASE >> PD_SHIFT) * 4
    mov eax, PDE_LARGE_RW
    mov ecx, DIRECT_MAX >> PD_SHIFT
.map:
    stosd
    add eax, 1 << PD_SHIFT
    loop .map

    mov eax, CR4_PSE              ; CR4 and CR0 are set, not amended: nothing of the
    mov cr4, eax                  ; loader's stays (cpu_init sets their final values)
    mov eax, PHYS(boot_pd)
    mov cr3, eax
    mov eax, CR0_PE | CR0_ET | CR0_PG | CR0_WP
    mov cr0, eax
    mov eax, higher_half
    jmp eax

section .text
higher_half:
    mov esp, kstack_top
    push EFLAGS_KERNEL            ; IF, DF, NT, AC, IOPL all 0, whatever the loader left
    popfd
    xor ebp, ebp                  ; the backtrace ends here
    push ebx                      ; the Multiboot information (physical)
    push esi                      ; the loader's magic
    call kmain
.halt:                            ; kmain does not return
    cli
    hlt
    jmp .halt

section .data
global boot_tsc_entry
align 8
boot_tsc_entry: dq 0              ; rdtsc at _start

section .bss nobits alloc noexec write align=4096
global boot_pd, kstack_guard, kstack_bottom, kstack_top
global df_stack_guard, df_stack_top
boot_pd:        resb PAGE_SIZE
kstack_guard:   resb PAGE_SIZE    ; unmapped by paging_init: an overflow faults
kstack_bottom:  resb KSTACK_SIZE
kstack_top:
df_stack_guard: resb PAGE_SIZE    ; the #DF task's stack gets a guard page too
                resb PAGE_SIZE
df_stack_top:
