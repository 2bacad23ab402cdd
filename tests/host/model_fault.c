/*
 * microkernel/fault.c, built for the IPC model test (model_shim.h), with
 * fastpath.h's switch as in model_sys_ipc.c (fault_raise tries
 * fastpath_fault first).
 */
#include "model_shim.h"
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
#include "fault.c"

/* A new world: no notice queued or lost from the run before. */
void model_fault_reset(void)
{
    notice_head = 0;
    notices_lost = 0;
    fault_notices_queued = 0;
    supervisor = (struct handle){ 0 };
}
