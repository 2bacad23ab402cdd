/* The 8259A pair: see pic.h.  Port and command values from the 8259A datasheet. */
#include "pic.h"
#include "cpu.h"
#include "vector.h"


#define ICW1_INIT_ICW4 0x11   /* edge triggered, cascaded, ICW4 follows */
#define ICW4_8086      0x01
#define OCW3_READ_ISR  0x0B

unsigned pic_masks = 0xFFFF;

static void write_pic_masks(void)
{
    outb(MASTER_DATA, pic_masks & 0xFF);
    outb(SLAVE_DATA, pic_masks >> 8);
}

void pic_init(void)
{
    outb(MASTER_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(SLAVE_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(MASTER_DATA, IRQ_BASE);          /* ICW2: vector base */
    io_wait();
    outb(SLAVE_DATA, IRQ_BASE + 8);
    io_wait();
    outb(MASTER_DATA, 1u << IRQ_CASCADE); /* ICW3: slave on line 2 */
    io_wait();
    outb(SLAVE_DATA, IRQ_CASCADE);        /* ICW3: slave identity */
    io_wait();
    outb(MASTER_DATA, ICW4_8086);
    io_wait();
    outb(SLAVE_DATA, ICW4_8086);
    io_wait();
    pic_masks = 0xFFFF;
    write_pic_masks();
}

void pic_unmask(unsigned irq)
{
    pic_masks &= ~(1u << irq);
    if (irq >= 8)
        pic_masks &= ~(1u << IRQ_CASCADE);
    write_pic_masks();
}

unsigned pic_mask_bits(void) { return pic_masks; }

static unsigned in_service(unsigned cmd_port)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port);
}

bool pic_spurious(unsigned irq)
{
    if (irq == IRQ_SPURIOUS_MASTER)
        return !(in_service(MASTER_CMD) & 0x80);
    if (irq == IRQ_SPURIOUS_SLAVE && !(in_service(SLAVE_CMD) & 0x80)) {
        outb(MASTER_CMD, OCW2_EOI);
        return true;
    }
    return false;
}
