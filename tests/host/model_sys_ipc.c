/*
 * microkernel/sys_ipc.c, built for the IPC model test (model_shim.h), with
 * the test kernel's switch that turns every fast path off (fastpath.h:
 * fastpath_off, and the taken/declined counters).  RELAY_CHECK is defined
 * for fastpath.h alone, after every header whose layout it changes has
 * been read without it, so that these objects match the rest of the test.
 */
#include "model_shim.h"
#include "syscall_impl.h"
#include "endpoint.h"
#include "fault.h"
#include "ipc.h"
#include "notification.h"
#include "sched.h"
#include "task.h"
#include "relay/kinfo.h"
#define RELAY_CHECK
#include "fastpath.h"
#undef RELAY_CHECK
#include "sys_ipc.c"

/* The interrupt path's delivery (irq.c): the fast path, else the general one. */
void model_irq_signal(struct notification *n, uint32_t bits)
{
    if (!fastpath_signal(n, bits))
        notification_signal(n, bits);
}
