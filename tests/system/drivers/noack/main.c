/*
 * noack: a driver that takes its interrupt and never acknowledges it, for
 * the driver manager's ack watchdog (tests/system/drivers/check).
 *
 * proc starts it as a driver when its command line says
 * driver=noack:8:0x70+2: "irq" is IRQ 8, the real-time clock's, and
 * "ports" the RTC's index and data ports.  It binds the line to its main
 * thread, turns on the RTC's periodic interrupt (1,024 a second), and
 * receives on "serve": the first interrupt arrives as notification bits,
 * and it says so and does not call irq_ack, so the line stays masked until
 * the kernel's watchdog tells proc, which kills it and starts another.
 * Requests on "serve" get ERR_INVALID.
 */
#include <relay/libos.h>

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define RTC_NMI_OFF 0x80          /* in the index: keep NMIs off while we program it */
#define RTC_A 0x0A                /* rate select: low 4 bits */
#define RTC_B 0x0B                /* bit 6: the periodic interrupt */
#define RTC_C 0x0C                /* reading it clears the pending interrupt */
#define RTC_RATE_1024HZ 6u
#define RTC_B_PIE 0x40u

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t rtc_read(uint8_t reg)
{
    outb(RTC_INDEX, RTC_NMI_OFF | reg);
    return inb(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
    outb(RTC_INDEX, RTC_NMI_OFF | reg);
    outb(RTC_DATA, v);
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle irq = startup_handle("irq"), serve = startup_handle("serve"), n;
    if (irq == HANDLE_NULL || serve == HANDLE_NULL || startup_handle("ports") == HANDLE_NULL) {
        printf("noack: started without irq, ports or serve: not as a driver\n");
        return 1;
    }
    int err = notification_create(si->factory, &n);
    if (!err)
        err = notify_bind(si->self_thread, n);
    if (!err)
        err = irq_bind(irq, n, 1);
    if (err) {
        printf("noack: cannot bind IRQ 8: %s\n", strerror(err));
        return 1;
    }
    rtc_write(RTC_A, (uint8_t)((rtc_read(RTC_A) & 0xF0) | RTC_RATE_1024HZ));
    rtc_write(RTC_B, (uint8_t)(rtc_read(RTC_B) | RTC_B_PIE));
    rtc_read(RTC_C);                         /* an interrupt pending from before would block the next */
    for (int said = 0;;) {
        struct msg m;
        if (ipc_recv(serve, &m, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        if (m.flags & MSGINFO_NOTIFY) {
            if (!said++)
                printf("noack: IRQ 8 arrived; not acknowledging it\n");
            continue;
        }
        struct msg reply = { .label = m.label, .length = 1, .w = { ERR_INVALID } };
        ipc_reply(&reply);
    }
}
