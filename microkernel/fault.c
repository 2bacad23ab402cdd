/* Fault delivery, replies and notices: see fault.h and ipc/relay/fault.h. */
#include "fault.h"
#include "faultregs.h"
#include "fastpath.h"
#include "ipc.h"
#include "frames.h"
#include "arch/x86/paging.h"
#include "kprintf.h"
#include "reaper.h"
#include "sched.h"
#include "task.h"
#include "arch/x86/segments.h"
#include "arch/x86/vector.h"
#include "relay/fault.h"

struct handle supervisor;
struct kobject supervisor_cap = { .type = KOBJ_SUPERVISOR, .refs = 1 };

#define NOTICES_MAX 16
static struct fault_record notices[NOTICES_MAX];    /* a ring, oldest at notice_head */
static unsigned notice_head, notices_lost;
unsigned fault_notices_queued;

/* The record of t's fault, written once, where it is to be read: a notice's
 * slot, or the UTCB of the thread it is delivered to. */
static void make_record(const struct thread *t, uint32_t reason, struct fault_record *r)
{
    const struct trap_frame *tf = t->tf;
    r->version = FAULT_RECORD_VERSION;
    r->vector = t->fault_vector;
    r->error_code = t->fault_error;
    r->cr2 = t->fault_cr2;
    r->eip = tf->eip;
    r->cs = tf->cs & 0xFFFF;
    r->eflags = tf->eflags;
    r->esp = tf->user_esp;
    r->ss = tf->user_ss & 0xFFFF;
    r->eax = tf->eax;
    r->ebx = tf->ebx;
    r->ecx = tf->ecx;
    r->edx = tf->edx;
    r->esi = tf->esi;
    r->edi = tf->edi;
    r->ebp = tf->ebp;
    r->ds = tf->ds & 0xFFFF;
    r->es = tf->es & 0xFFFF;
    r->fs = tf->fs & 0xFFFF;
    r->gs = tf->gs & 0xFFFF;
    r->task = t->task->id;
    r->thread = t->id;
    r->reason = reason;
    r->lost = 0;
}

/* The message header and the record's first words into r's registers; the
 * rest of the record is already in its UTCB. */
static void record_registers(struct thread *r, uint32_t label, uint32_t badge)
{
    const uint32_t *w = r->utcb->mr;
    struct trap_frame *tf = r->tf;
    tf->eax = ERR_NONE;
    tf->ebx = badge;
    tf->ecx = msginfo(label, FAULT_WORDS, 0) | MSGINFO_KERNEL;
    tf->edx = w[0];
    tf->esi = w[1];
    tf->edi = w[2];
    tf->ebp = w[3];
}

/* A queued record as a message in r's registers and UTCB. */
static void put_record(struct thread *r, const struct fault_record *rec, uint32_t label, uint32_t badge)
{
    *(struct fault_record *)r->utcb->mr = *rec;
    record_registers(r, label, badge);
}

void fault_deliver(struct thread *t, struct thread *r, uint32_t badge)
{
    make_record(t, NOTICE_NONE, (struct fault_record *)r->utcb->mr);
    record_registers(r, LABEL_FAULT, badge);
}

void fault_endpoint_unreceivable(struct kobject *ep)
{
    if (supervisor.obj != ep)
        return;
    notices_lost += fault_notices_queued;  /* nobody can read them: gone, and counted */
    fault_notices_queued = 0;
    handle_delete(&supervisor);            /* the endpoint need not outlive its receivers */
}

/* A slot for the next notice for the supervisor, or NULL (then it is
 * counted as lost); fill it, then post() it. */
static struct fault_record *notice_slot(void)
{
    if (!supervisor.obj || supervisor.obj->dead || fault_notices_queued == NOTICES_MAX) {
        notices_lost++;
        return 0;
    }
    return &notices[(notice_head + fault_notices_queued) % NOTICES_MAX];
}

/* Queue the filled slot; hand it over at once if the supervisor is waiting. */
static void post(struct fault_record *rec)
{
    fault_notices_queued++;
    rec->lost = notices_lost;
    notices_lost = 0;
    struct thread *r = endpoint_take_receiver((struct endpoint *)supervisor.obj);
    if (r) {
        ipc_unblock(r);
        fault_take_notice((struct endpoint *)supervisor.obj, r);
        sched_make_ready(r);
    }
}

static void post_notice(const struct thread *t, enum fault_reason reason)
{
    struct fault_record *rec = notice_slot();
    if (rec) {
        make_record(t, reason, rec);
        post(rec);
    }
}

void fault_irq_notice(uint32_t line, uint32_t task_id, uint32_t thread_id)
{
    struct fault_record *rec = notice_slot();
    if (rec) {
        *rec = (struct fault_record){ .version = FAULT_RECORD_VERSION, .vector = IRQ_BASE + line,
                                      .task = task_id, .thread = thread_id,
                                      .reason = NOTICE_IRQ_NOT_ACKED };
        post(rec);
    }
}

int fault_take_notice(struct endpoint *ep, struct thread *r)
{
    if (!fault_notice_waiting(ep))
        return 0;
    put_record(r, &notices[notice_head], LABEL_NOTICE, 0);
    notice_head = (notice_head + 1) % NOTICES_MAX;
    fault_notices_queued--;
    return 1;
}

/* The fault cannot be handled: tell the supervisor; the reaper kills the
 * thread.  (No line on the kernel console: printing waits on the UART,
 * and no user program may make the kernel wait; the supervisor prints.) */
static void doom(struct thread *t, enum fault_reason reason)
{
    post_notice(t, reason);
    t->faulting = 0;
    thread_doom(t, DOOM_THREAD, t->fault_vector);   /* the task's status if it was its last thread */
}

/* The handler for a vector: the pager for #PF (else the exception handler). */
static struct handle *handler_for(struct thread *t, unsigned vector)
{
    struct handle *h = &t->handler[HANDLER_PAGER];
    if (vector != VEC_PF || !h->obj || h->obj->dead)
        h = &t->handler[HANDLER_EXCEPTION];
    return h->obj && !h->obj->dead ? h : 0;
}

void fault_raise(struct trap_frame *tf)
{
    struct thread *t = current;
    t->fault_vector = (uint8_t)tf->vector;
    t->fault_error = tf->error_code;
    t->fault_cr2 = tf->cr2;
    if (t->caller && t->caller->faulting) {
        doom(t, NOTICE_HANDLER_FAULTED);
        return;
    }
    struct handle *h = handler_for(t, tf->vector);
    if (!h) {
        doom(t, NOTICE_NO_HANDLER);
        return;
    }
    t->faulting = 1;
    if (!fastpath_fault((struct endpoint *)h->obj, h->badge))
        ipc_send((struct endpoint *)h->obj, h->badge, 0, WAIT_CALL, FAULT_DELIVERY_TICKS);
}

void fault_aborted(struct thread *t, enum relay_error err)
{
    doom(t, err == ERR_TIMEOUT ? NOTICE_NOT_TAKEN : NOTICE_HANDLER_GONE);
}

/* A FAULT_MAP answer for t's #PF at page: 1 if t may retry. */
static int answer_map(struct thread *replier, struct thread *t, const uint32_t *w,
                      enum relay_error *err)
{
    uint32_t page = page_base(t->fault_cr2);
    *err = memory_map(replier->task, t->task, page, w[0], w[1]);
    if (*err == ERR_NONE)
        return 1;
    if (*err != ERR_MAPPED)
        return 0;
    /* The page is mapped already (another thread's fault got there first,
     * or the pager forgot what it had mapped): the answer never replaces a
     * mapping.  If what is there satisfies the fault, t retries; if not,
     * retrying could only fault again, for ever. */
    pte_t pte = vspace_lookup(&t->task->vs, page);
    return (pte & PTE_PRESENT) && (!(t->fault_error & PF_WRITE) || (pte & PTE_WRITABLE));
}

int fault_reply(struct thread *replier, struct thread *t, enum relay_error *err)
{
    const struct trap_frame *from = replier->tf;   /* words 0..3; the rest in its UTCB */
    uint32_t verb = msginfo_label(from->ecx), length = msginfo_length(from->ecx);
    uint32_t w[2] = { from->edx, from->esi };
    *err = ERR_INVALID;
    switch (verb) {
    case FAULT_RETRY:
        *err = ERR_NONE;
        break;
    case FAULT_KILL_THREAD:
        *err = ERR_NONE;
        t->faulting = 0;
        thread_doom(t, DOOM_THREAD, t->fault_vector);
        return 0;
    case FAULT_KILL_TASK:
        *err = ERR_NONE;
        t->faulting = 0;
        thread_doom(t, DOOM_TASK, length > 0 ? w[0] : t->fault_vector);
        return 0;
    case FAULT_RESUME:
        if (length >= FAULT_REGS_WORDS
            && fault_regs_apply_message(from->edx, from->esi, from->edi, from->ebp, replier->utcb->mr,
                                        t->tf))
            *err = ERR_NONE;
        break;
    case FAULT_MAP:
        if (t->fault_vector != VEC_PF || length < 2)
            break;
        if (!answer_map(replier, t, w, err)) {
            doom(t, NOTICE_BAD_REPLY);     /* the pager learns why, in *err */
            return 0;
        }
        t->faulting = 0;
        return 1;
    }
    if (*err != ERR_NONE) {
        doom(t, NOTICE_BAD_REPLY);
        return 0;
    }
    t->faulting = 0;
    return 1;
}

/* Only within a task: a thread made in another task (spawn) starts with none,
 * and its creator sets what it wants. */
void fault_inherit(struct thread *t, struct thread *creator)
{
    for (unsigned k = 0; k < 2; k++) {
        t->handler[k] = (struct handle){ 0 };
        if (creator && creator->task == t->task && creator->handler[k].obj)
            handle_place(&t->handler[k], &creator->handler[k], RIGHTS_ALL);
    }
}

void fault_forget(struct thread *t)
{
    for (unsigned k = 0; k < 2; k++)
        if (t->handler[k].obj)
            handle_delete(&t->handler[k]);
}
