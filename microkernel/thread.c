/* Threads: see thread.h. */
#include "thread.h"
#include "relay/syscall.h"
#include "boot.h"
#include "fault.h"
#include "faultregs.h"
#include "fpu.h"
#include "ipc.h"
#include "kmem.h"
#include "kstring.h"
#include "reaper.h"
#include "runqueue.h"
#include "sched.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86/cpu.h"
#include "arch/x86/segments.h"
#include "arch/x86/switch.h"

struct thread *thread_dead_on_cpu;

/* Which kernel-stack slots are taken (memlayout.h): one bit each. */
static uint32_t slot_used[KSTACK_SLOTS / 32];
static uint32_t slot_hint;             /* no free slot below this word */

static int slot_take(unsigned *slot)
{
    for (uint32_t w = slot_hint; w < KSTACK_SLOTS / 32; w++)
        if (slot_used[w] != ~0u) {
            uint32_t b = (uint32_t)__builtin_ctz(~slot_used[w]);
            slot_used[w] |= 1u << b;
            slot_hint = w;
            *slot = w * 32 + b;
            return 1;
        }
    return 0;
}

static void slot_give_back(unsigned slot)
{
    slot_used[slot / 32] &= ~(1u << slot % 32);
    if (slot / 32 < slot_hint)
        slot_hint = slot / 32;
}

#define EFLAGS_RESERVED1 0x2u          /* bit 1 always reads as 1 */

/* A fresh thread's stack: its trap frame at the top, under it a switch frame
 * that "returns" into thread_first_run. */
static void build_initial_stack(struct thread *t, uint32_t entry, uint32_t stack)
{
    struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof *tf);
    memset(tf, 0, sizeof *tf);
    tf->eip = entry;
    tf->cs = SEL_USER_CODE;
    tf->eflags = EFLAGS_IF | EFLAGS_RESERVED1;
    tf->user_esp = stack;
    tf->user_ss = SEL_USER_DATA;
    tf->ds = tf->es = tf->fs = tf->gs = SEL_USER_DATA;
    t->tf = tf;
    uint32_t *sp = (uint32_t *)tf - SWITCH_FRAME_WORDS;
    memset(sp, 0, SWITCH_FRAME_WORDS * sizeof *sp);
    sp[SWITCH_FRAME_WORDS - 1] = (uint32_t)thread_first_run;
    t->kstack_esp = (uint32_t)sp;
}

/* The UTCB: a zeroed page of the task's factory, mapped read-write at utcb_va in the task. */
static enum relay_error map_utcb(struct thread *t, uint32_t utcb_va)
{
    struct factory *f = t->task->obj.factory;
    struct utcb *u = kmem_page_alloc(f);
    if (!u)
        return ERR_NO_MEMORY;
    enum relay_error err = vspace_map(&t->task->vs, utcb_va, virt_to_phys(u), PTE_WRITABLE, 0);
    if (err != ERR_NONE) {
        kmem_page_free(f, u);
        return err;
    }
    t->utcb = u;
    t->utcb_va = utcb_va;
    return ERR_NONE;
}

enum relay_error thread_create(struct task *task, uint32_t entry, uint32_t stack,
                               uint32_t utcb_va, uint32_t priority, uint32_t mcp,
                               struct thread **out)
{
    struct factory *f = task->obj.factory;
    if (priority >= PRIORITIES || mcp >= PRIORITIES)
        return ERR_INVALID;
    if (utcb_va % PAGE_SIZE || !user_range_ok(utcb_va, PAGE_SIZE) || utcb_va == 0)
        return ERR_RANGE;
    if (vspace_lookup(&task->vs, utcb_va) & PTE_PRESENT)
        return ERR_MAPPED;
    /* Three pages (the cell's, the stack, the UTCB) and a stack slot, or nothing. */
    unsigned slot;
    struct thread *t = kobject_new(f, KOBJ_THREAD, sizeof *t, 1);
    void *kstack = t ? kmem_page_alloc_unzeroed(f) : 0;
    enum relay_error err = ERR_NO_MEMORY;
    if (kstack && slot_take(&slot)) {
        t->task = task;
        if ((err = map_utcb(t, utcb_va)) != ERR_NONE)
            slot_give_back(slot);
    }
    if (err != ERR_NONE) {
        if (kstack)
            kmem_page_free(f, kstack);
        if (t)
            kobject_free(&t->obj);
        return err;
    }
    t->id = (uint16_t)slot;
    t->state = THREAD_INACTIVE;
    t->priority = (uint8_t)priority;
    t->mcp = (uint8_t)mcp;
    t->slice = SLICE_TICKS;
    t->obj.home = &task->obj;
    list_init(&t->queue_node);
    list_init(&t->timer_node);
    t->kstack_top = kstack_map(slot, virt_to_phys(kstack));
    build_initial_stack(t, entry, stack);
    fault_inherit(t, current);
    fpu_init(t);
    list_push_back(&task->threads, &t->task_node);
    *out = t;
    return ERR_NONE;
}

void thread_set_priority(struct thread *t, uint32_t priority, uint32_t mcp)
{
    t->mcp = (uint8_t)mcp;
    if (t->state == THREAD_READY) {
        sched_unready(t);
        t->priority = (uint8_t)priority;
        sched_make_ready(t);
        return;
    }
    t->priority = (uint8_t)priority;
    if (t == current)
        sched_exit_work = 1;               /* lowered: someone else may come first */
}

enum relay_error thread_start(struct thread *t)
{
    if (t->state != THREAD_INACTIVE)
        return ERR_STATE;
    sched_make_ready(t);                   /* a more urgent thread runs once we leave the kernel */
    return ERR_NONE;
}

enum relay_error thread_suspend(struct thread *t)
{
    switch (t->state) {
    case THREAD_INACTIVE:
        return ERR_STATE;
    case THREAD_SUSPENDED:
        return ERR_NONE;
    case THREAD_READY:
        sched_unready(t);
        break;
    case THREAD_BLOCKED:
        if (t->wait == WAIT_DOOMED)
            return ERR_DELETED;            /* it is dying already */
        ipc_cancel(t, ERR_CANCELLED);
        t->faulting = 0;                   /* a fault raises afresh on resume */
        break;
    }
    if (t == current)
        sched_stop_current(THREAD_SUSPENDED);
    else
        t->state = THREAD_SUSPENDED;
    task_end_if_unreachable(t->task);      /* it may have been the last that could run */
    return ERR_NONE;
}

enum relay_error thread_resume(struct thread *t)
{
    if (t->state != THREAD_SUSPENDED)
        return ERR_STATE;
    sched_make_ready(t);
    return ERR_NONE;
}

/* The kernel stack's page back to the factory, and its slot. */
static void kstack_free(struct thread *t)
{
    kmem_page_free(t->obj.factory, phys_to_virt(kstack_unmap(t->id)));
    slot_give_back(t->id);
}

/* Give back the UTCB frame; the kernel stack too unless the CPU is on it. */
static void release_memory(struct thread *t)
{
    uint32_t utcb = virt_to_phys(t->utcb), pa;
    /* Unmap the address only if it still shows this UTCB: the task may have
     * unmapped it and mapped something else there since. */
    if (t->task->vs.pd && pte_addr(vspace_lookup(&t->task->vs, t->utcb_va)) == utcb)
        vspace_unmap(&t->task->vs, t->utcb_va, &pa, 0);
    kmem_page_free(t->obj.factory, t->utcb);
    t->utcb = 0;
    if (t == current)
        thread_dead_on_cpu = t;
    else
        kstack_free(t);
}

void thread_kill(struct thread *t)
{
    thread_kill_status(t, TASK_STATUS_KILLED);
}

/* Nothing of t runs, waits or is found again: O(1). */
static void stop(struct thread *t)
{
    t->faulting = 0;                       /* its fault dies with it: no doom, no notice */
    t->doom = DOOM_NONE;
    if (t->state == THREAD_READY)
        sched_unready(t);
    if (t->state == THREAD_BLOCKED)
        ipc_cancel(t, ERR_DELETED);
    ipc_drop_partners(t);
    if (t->bound) {
        t->bound->bound = 0;
        t->bound = 0;
    }
    list_remove(&t->task_node);
    t->obj.dead = 1;
    if (t == current)
        sched_stop_current(THREAD_DEAD);
    else
        t->state = THREAD_DEAD;
}

/* What a stopped thread still holds: its handlers, FPU state, UTCB, stack, its own reference. */
static void finish(struct thread *t)
{
    fault_forget(t);
    fpu_forget(t);
    release_memory(t);
    kobject_put(&t->obj);                  /* its own reference */
}

void thread_kill_status(struct thread *t, uint32_t status)
{
    if (t->state == THREAD_DEAD)
        return;
    stop(t);
    finish(t);
    struct task *task = t->task;
    if (list_empty(&task->threads) && task->state == TASK_ALIVE)
        task_end(task, TASK_KILLED, status);   /* its last thread: the task ends */
    else
        task_end_if_unreachable(task);     /* the others may be ones nothing can start */
}

void thread_stop(struct thread *t)
{
    if (t->state == THREAD_DEAD)
        return;
    stop(t);
    t->doom = DOOM_FINISH;
    reaper_add(&t->obj);
}

void thread_doom(struct thread *t, enum thread_doom how, uint32_t status)
{
    t->obj.dead = 1;                       /* its handles fail from now on */
    t->doom = (uint8_t)how;
    t->doom_status = status;
    t->wait = WAIT_DOOMED;
    if (t == current)
        sched_stop_current(THREAD_BLOCKED);
    else
        t->state = THREAD_BLOCKED;
    reaper_add(&t->obj);
}

static void free_slot(struct thread *t)
{
    kobject_free(&t->obj);
}

void thread_reap(void)
{
    struct thread *t = thread_dead_on_cpu;
    if (!t || t == current)
        return;
    thread_dead_on_cpu = 0;
    kstack_free(t);
    if (t->obj.refs == 0 && !t->obj.reaping)      /* else the reaper frees it */
        free_slot(t);
}

int thread_reap_step(struct thread *t, uint32_t *budget)
{
    enum thread_doom how = t->doom;
    (*budget)--;
    t->doom = DOOM_NONE;
    if (how == DOOM_FINISH)
        finish(t);                         /* stopped by its task's end */
    else if (how == DOOM_TASK && t->state != THREAD_DEAD)
        task_end(t->task, TASK_KILLED, t->doom_status);
    else if (how == DOOM_THREAD && t->state != THREAD_DEAD)
        thread_kill_status(t, t->doom_status);
    if (t->obj.refs == 0 && !t->obj.reaping && t != thread_dead_on_cpu)
        free_slot(t);                      /* (queued again, or on the CPU: freed later) */
    return 1;
}

void thread_get_regs(const struct thread *t, struct relay_regs *r)
{
    const struct trap_frame *tf = t->tf;
    *r = (struct relay_regs){ tf->eax, tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp,
                              tf->user_esp, tf->eip, tf->eflags };
}

/* The same rules as a fault handler's RESUME (faultregs.c); the data
 * selectors stay the thread's own, or the user data selector if it held
 * another (say, the user code selector in DS). */
void thread_set_regs(struct thread *t, const struct relay_regs *r)
{
    struct trap_frame *tf = t->tf;
    int lean = !trap_frame_has_fs_gs(tf);   /* no FS, GS in the frame: they stay */
    struct fault_regs f = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp, r->esp,
                            r->eip, r->eflags, tf->ds, tf->es,
                            lean ? SEL_USER_DATA : tf->fs, lean ? SEL_USER_DATA : tf->gs };
    if (!fault_regs_apply(&f, tf)) {
        f.ds = f.es = f.fs = f.gs = SEL_USER_DATA;
        fault_regs_apply(&f, tf);
    }
}
