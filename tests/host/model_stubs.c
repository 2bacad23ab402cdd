/*
 * The rest of the kernel, as far as the IPC model test (test_ipc_model.c)
 * reaches it.  The kernel-stack switch does nothing: sched_switch_to has
 * already made the thread current, and the model's driver goes on with it.
 * No timeouts are used, so the clock stands still; nothing dies, so the
 * reaper has nothing to do.  What the model never reaches (a fault, a
 * mapping message) fails the test if it is reached.
 */
#include "model_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include "kobject.h"
#include "fault.h"
#include "frames.h"
#include "irq.h"
#include "reaper.h"
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
uint32_t pit_ticks(void) { return 0; }
void reaper_run(uint32_t budget) { (void)budget; unreached("reaper_run"); }
void irq_watchdog(uint32_t now) { (void)now; unreached("irq_watchdog"); }
void thread_reap(void) { unreached("thread_reap"); }

uint32_t memory_map_item(struct task *sender, const struct utcb *from, struct task *receiver,
                         const struct utcb *to)
{
    (void)sender; (void)from; (void)receiver; (void)to;
    unreached("memory_map_item");
}

/* Faults: no thread of the model faults, so no notice is ever queued. */
struct handle supervisor;
unsigned fault_notices_queued;
int fault_take_notice(struct endpoint *ep, struct thread *r) { (void)ep; (void)r; return 0; }
void fault_deliver(struct thread *t, struct thread *r, uint32_t badge)
{
    (void)t; (void)r; (void)badge;
    unreached("fault_deliver");
}
int fault_reply(struct thread *replier, struct thread *t, enum relay_error *err)
{
    (void)replier; (void)t; (void)err;
    unreached("fault_reply");
}
void fault_aborted(struct thread *t, enum relay_error err)
{
    (void)t; (void)err;
    unreached("fault_aborted");
}

/* Objects are made and freed by the model itself (notification_create is not used). */
void *kobject_new(struct factory *f, enum kobj_type type, uint32_t size, uint32_t refs)
{
    (void)f; (void)type; (void)size; (void)refs;
    unreached("kobject_new");
}
void kobject_free(struct kobject *obj) { (void)obj; unreached("kobject_free"); }
