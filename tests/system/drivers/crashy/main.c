/*
 * crashy: a driver that dies as soon as it starts, for the driver
 * manager's backoff and giving up (tests/system/drivers/check).
 *
 * proc starts it as a driver when its command line says
 * driver=crashy:3:0x2F8+8.  It writes to port 0x80, which is not among
 * the ports it was given: the CPU raises #GP, nobody handles it, the
 * kernel kills it and tells proc.
 */
#include <relay/libos.h>

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (startup_handle("serve") == HANDLE_NULL) {
        printf("crashy: started without serve: not as a driver\n");
        return 1;
    }
    printf("crashy: writing to port 0x80, which it was not given\n");
    __asm__ volatile("outb %0, $0x80" : : "a"((uint8_t)0));
    printf("crashy: the write to port 0x80 did not fault\n");
    return 0;
}
