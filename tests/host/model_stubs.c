/*
 * The rest of the kernel, as far as the IPC model test (test_ipc_model.c)
 * reaches it.  The kernel-stack switch does nothing: sched_switch_to has
 * already made the thread current, and the model's driver goes on with it.
 * The clock is the driver's count of ticks; the
 * reaper is not run.  What the model never reaches (a mapping, a freed
 * object) fails the test if it is reached.
 */
#include "model_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include "kobject.h"
#include "fault.h"
#include "frames.h"
#include "irq.h"
#include "reaper.h"
#include "sched.h"
#include "thread.h"
#include "relay/kinfo.h"
#include "arch/x86/gdt.h"
#include "arch/x86/pit.h"
#include "arch/x86/switch.h"

uint32_t model_cr3;
struct tss kernel_tss;
char kstack_top[16];
unsigned reaper_queued;
uint32_t irq_watched;
struct thread *thread_dead_on_cpu;

/* fastpath.h's switch and counters (the test kernel's, check.c). */
int fastpath_off;
uint32_t fastpath_taken[KERNEL_FASTPATHS], fastpath_declined[KERNEL_FASTPATHS];

static _Noreturn void unreached(const char *what)
{
    fprintf(stderr, "ipc model: %s reached, which the model never does\n", what);
    abort();
}

void switch_context(uint32_t *save, uint32_t new_esp) { (void)save; (void)new_esp; }
uint32_t model_ticks;                       /* the clock: the driver's ticks */
uint32_t pit_ticks(void) { return model_ticks; }
void reaper_run(uint32_t budget) { (void)budget; unreached("reaper_run"); }
void irq_watchdog(uint32_t now) { (void)now; unreached("irq_watchdog"); }
void thread_reap(void) { unreached("thread_reap"); }

uint32_t memory_map_item(struct task *sender, const struct utcb *from, struct task *receiver,
                         const struct utcb *to)
{
    (void)sender; (void)from; (void)receiver; (void)to;
    unreached("memory_map_item");
}

/* A doomed thread (a fault nobody handles, a KILL_THREAD answer) is marked
 * as thread.c's thread_doom marks it; it never runs again, and the reaper
 * that would take it apart does not run in the model. */
void thread_doom(struct thread *t, enum thread_doom how, uint32_t status)
{
    t->obj.dead = 1;
    t->doom = (uint8_t)how;
    t->doom_status = status;
    t->wait = WAIT_DOOMED;
    if (t == current)
        sched_stop_current(THREAD_BLOCKED);
    else
        t->state = THREAD_BLOCKED;
}
void reaper_add(struct kobject *obj) { (void)obj; }

/* FAULT_MAP answers are not drawn: nothing is mapped. */
enum relay_error memory_map(struct task *from, struct task *to, uint32_t va, uint32_t src_va,
                            uint32_t flags)
{
    (void)from; (void)to; (void)va; (void)src_va; (void)flags;
    unreached("memory_map");
}
pte_t vspace_lookup(const struct vspace *vs, uint32_t va) { (void)vs; (void)va; unreached("vspace_lookup"); }

/* Objects are made and freed by the model itself (notification_create is not used). */
void *kobject_new(struct factory *f, enum kobj_type type, uint32_t size, uint32_t refs)
{
    (void)f; (void)type; (void)size; (void)refs;
    unreached("kobject_new");
}
void kobject_free(struct kobject *obj) { (void)obj; unreached("kobject_free"); }
