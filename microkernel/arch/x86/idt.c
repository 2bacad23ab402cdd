/*
 * The IDT.  Every gate is an interrupt gate (the kernel runs with interrupts
 * off) with DPL 0, so a user `int n` on it raises #GP; only the system-call
 * gate (int 0x80), int3 and into are DPL 3, so that user breakpoints and
 * overflow checks arrive as #BP and #OF.  #DF goes
 * through a task gate to its own TSS and stack, so a double fault caused by a
 * broken kernel stack still gets a dump.
 */
#include "idt.h"
#include "desc.h"
#include "segments.h"
#include "vector.h"
#include "relay/syscall.h"

static uint64_t idt[VECTOR_COUNT];
extern const uint32_t vector_stubs[VECTOR_COUNT];

static unsigned gate_dpl(unsigned vector)
{
    return vector == VEC_BP || vector == VEC_OF || vector == RELAY_SYSCALL_VECTOR ? RPL_USER
                                                                                 : RPL_KERNEL;
}

void idt_init(void)
{
    for (unsigned v = 0; v < VECTOR_COUNT; v++)
        idt[v] = gate_desc(vector_stubs[v], SEL_KERNEL_CODE, GATE_INTR_32, gate_dpl(v));
    idt[VEC_DF] = task_gate_desc(SEL_DF_TSS, RPL_KERNEL);

    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = {
        sizeof idt - 1, (uint32_t)idt,
    };
    asm volatile("lidt %0" : : "m"(idtr));
}

uint64_t *idt_gate(unsigned vector) { return &idt[vector % VECTOR_COUNT]; }
