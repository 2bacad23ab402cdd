/*
 * A client's buffer that goes away in the middle of a transfer.
 *
 * The driver moves sectors straight between the disk and a client's pages
 * mapped in its window, and a client can take those pages back at any
 * moment (frame_revoke, or by ending) -- also while the driver waits for
 * the disk between two sectors.  The driver's next access to the page would
 * fault and, unhandled, kill the driver.  So the main thread's faults go
 * to a handler thread (libos fault_handler_start), which answers a #PF in
 * the windows by mapping a page of the driver's own there (the stand-in)
 * and noting the loss: the transfer runs to its end, into or out of the
 * stand-in, and the request fails with ERR_STATE.  Any other fault is
 * left unhandled, and the driver dies of it as it would have.
 */
#include "disk.h"
#include <relay/libos.h>

static uint32_t stand_in;                 /* a frame of the driver's own */
static volatile uint32_t lost;            /* pages of a window replaced since guard_lost() */

static int window_fault(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    if (f->error_format != FAULT_EC_PAGE || f->address < WINDOW_BASE || f->address >= window_va(WINDOWS))
        return ERR_NONE;                  /* *a is "kill the task", as with no handler */
    lost++;
    a->verdict = ANSWER_MAP;
    a->frame = stand_in;
    a->flags = MAP_WRITABLE;
    return ERR_NONE;
}

int guard_start(void)
{
    int err = frame_alloc(&stand_in);
    return err ? err : fault_handler_start(window_fault, NULL, NULL);
}

uint32_t guard_lost(void)
{
    uint32_t n = lost;
    lost = 0;
    return n;
}
