/* The system calls on devices: IRQ lines and I/O ports (irq.h, ioport.h). */
#include "syscall_impl.h"
#include "factory.h"
#include "ioport.h"
#include "irq.h"

/* irq_claim(irq control, line, ack ticks) -> (irq): the IRQ object of a
 * line (1, 3..15), RIGHT_CONTROL over it; an interrupt left unacked for
 * ack_ticks clock ticks (0: no limit) sends the supervisor a
 * NOTICE_IRQ_NOT_ACKED.  RIGHT_CONTROL on the IRQ-control capability.
 * ERR_RANGE (line 0, 2 or past 15), ERR_STATE (claimed), ERR_NO_SLOT,
 * ERR_NO_MEMORY (for the caller's handle). */
HANDLER(irq_claim)
{
    (void)timeout;
    struct handle *c;
    struct irq_line *l;
    LOOKUP(tf, ARG0(tf), KOBJ_IRQ_CONTROL, RIGHT_CONTROL, c);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = irq_claim(ARG1(tf), ARG2(tf), &l)) == ERR_NONE)
        hand_out(tf, &l->obj);
}

/* irq_bind(irq, notification or 0, bits): the line's interrupts signal bits
 * on the notification (RIGHT_SEND), and the line is unmasked, an unacked
 * interrupt forgotten; 0 unbinds and masks it.  The binding lasts while
 * the irq handle it was made through stays in its table.  RIGHT_CONTROL on
 * the irq.  ERR_INVALID (bits 0). */
HANDLER(irq_bind)
{
    (void)timeout;
    struct handle *h, *n = 0;
    LOOKUP(tf, ARG0(tf), KOBJ_IRQ, RIGHT_CONTROL, h);
    if (ARG1(tf) != HANDLE_NULL) {
        LOOKUP(tf, ARG1(tf), KOBJ_NOTIFICATION, RIGHT_SEND, n);
        if (ARG2(tf) == 0) {
            tf->eax = ERR_INVALID;
            return;
        }
    }
    irq_bind((struct irq_line *)h->obj, h, n, ARG2(tf));
    tf->eax = ERR_NONE;
}

/* irq_ack(irq): the interrupt is handled; the line is unmasked.  Any handle
 * to the irq.  ERR_STATE if nothing is bound. */
HANDLER(irq_ack)
{
    (void)timeout;
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_IRQ, 0, h);
    tf->eax = irq_ack((struct irq_line *)h->obj);
}

/* ioport_create(io control, factory, first, count) -> (ioport): ports
 * [first, first + count) as an object made in the factory; a task may use
 * them with in/out while its table holds a handle to it.  RIGHT_CONTROL on
 * both.  ERR_RANGE (empty, or past port 0xFFFF), ERR_STATE (overlapping a
 * range that exists), ERR_NO_SLOT, ERR_NO_MEMORY. */
HANDLER(ioport_create)
{
    (void)timeout;
    struct handle *c, *f;
    struct ioport *p;
    LOOKUP(tf, ARG0(tf), KOBJ_IO_CONTROL, RIGHT_CONTROL, c);
    LOOKUP(tf, ARG1(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = ioport_create((struct factory *)f->obj, ARG2(tf), ARG3(tf), &p)) != ERR_NONE)
        return;
    hand_out(tf, &p->obj);
    if (tf->eax != ERR_NONE)               /* no memory to open the ports to the caller */
        ioport_reap_step(p, &(uint32_t){ 1 });
}
