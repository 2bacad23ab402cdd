/* Hardware interrupts and IRQ objects: see irq.h. */
#include "irq.h"
#include "fastpath.h"
#include "fault.h"
#include "ipc.h"
#include "notification.h"
#include "sched.h"
#include "task.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"
#include "arch/x86/vector.h"

struct irq_stats irq_stats;
struct irq_line irq_lines[IRQ_LINES];
struct kobject irq_control = { .type = KOBJ_IRQ_CONTROL, .refs = 1 };
uint32_t irq_watched;

void irq_dispatch(struct trap_frame *tf)
{
    unsigned irq = tf->vector - IRQ_BASE;
    if ((irq == IRQ_SPURIOUS_MASTER || irq == IRQ_SPURIOUS_SLAVE) && pic_spurious(irq)) {
        if (irq == IRQ_SPURIOUS_MASTER)
            irq_stats.spurious_master++;
        else
            irq_stats.spurious_slave++;
        return;
    }
    if (irq == IRQ_PIT) {
        pit_tick();
        pic_eoi(irq);              /* before the tick may switch threads */
        sched_tick();
        return;
    }
    pic_mask(irq);
    pic_eoi(irq);
    struct irq_line *l = &irq_lines[irq];
    if (!l->notify.obj || l->notify.obj->dead) {
        irq_stats.unclaimed++;
        return;
    }
    if (l->ack_ticks) {
        l->deadline = pit_ticks() + l->ack_ticks;
        irq_watched |= 1u << irq;
    }
    struct notification *n = (struct notification *)l->notify.obj;
    if (!fastpath_signal(n, l->bits))      /* the driver takes the CPU here, if it may */
        notification_signal(n, l->bits);
}

enum relay_error irq_claim(uint32_t line, uint32_t ack_ticks, struct irq_line **out)
{
    if (line >= IRQ_LINES || line == IRQ_PIT || line == IRQ_CASCADE)
        return ERR_RANGE;
    struct irq_line *l = &irq_lines[line];
    if (l->obj.refs || l->obj.dead || l->obj.reaping)
        return ERR_STATE;
    *l = (struct irq_line){ .obj = { .type = KOBJ_IRQ }, .line = (uint8_t)line, .ack_ticks = ack_ticks };
    *out = l;
    return ERR_NONE;
}

static void unbind(struct irq_line *l)
{
    pic_mask(l->line);
    irq_watched &= ~(1u << l->line);
    l->via = 0;
    if (l->notify.obj)
        handle_delete(&l->notify);         /* a leaf the kernel keeps: nothing moves */
}

void irq_bind(struct irq_line *l, struct handle *via, struct handle *n, uint32_t bits)
{
    unbind(l);
    if (!n)
        return;
    handle_place(&l->notify, n, RIGHT_SEND);
    l->bits = bits;
    l->via = via;
    l->task_id = current->task->id;
    l->thread_id = current->id;
    pic_unmask(l->line);
}

enum relay_error irq_ack(struct irq_line *l)
{
    if (!l->notify.obj)
        return ERR_STATE;
    irq_watched &= ~(1u << l->line);
    pic_unmask(l->line);
    return ERR_NONE;
}

void irq_handle_leaving(struct irq_line *l, struct handle *h)
{
    if (l->via == h)
        unbind(l);
}

int irq_reap_step(struct irq_line *l, uint32_t *budget)
{
    (*budget)--;
    if (l->obj.refs == 0 && !l->obj.reaping) {
        unbind(l);
        l->obj.dead = 0;                   /* the line may be claimed again */
    }
    return 1;
}

void irq_watchdog(uint32_t now)
{
    for (uint32_t w = irq_watched; w; w &= w - 1) {
        struct irq_line *l = &irq_lines[__builtin_ctz(w)];
        if ((int32_t)(now - l->deadline) >= 0) {
            irq_watched &= ~(1u << l->line);
            fault_irq_notice(l->line, l->task_id, l->thread_id);
        }
    }
}
