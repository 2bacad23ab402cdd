/*
 * sharer: a driver that passes its ports on, for the driver manager's
 * revocation (tests/system/drivers/check).
 *
 * proc starts it as a driver when its command line says
 * driver=sharer:5:0x2E8+8 (COM4's ports; no UART answers there, which does
 * not matter: only whether in/out is allowed does).  Asked with
 * SHARER_GIVE_PORTS on "serve", it replies with a copy of its "ports"
 * handle.  That copy derives from proc's original, so when proc takes the
 * driver down and revokes the original, whoever holds the copy loses the
 * ports too.  Anything else gets ERR_INVALID.
 */
#include <relay/libos.h>
#include "../drvtest.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    relay_handle serve = startup_handle("serve"), ports = startup_handle("ports");
    if (serve == HANDLE_NULL || ports == HANDLE_NULL) {
        printf("sharer: started without serve or ports: not as a driver\n");
        return 1;
    }
    for (;;) {
        struct msg m;
        if (ipc_recv(serve, &m, TIMEOUT_FOREVER) != ERR_NONE || (m.flags & MSGINFO_NOTIFY))
            continue;
        struct msg reply = { .label = ERR_INVALID };
        if (m.label == SHARER_GIVE_PORTS)
            reply = (struct msg){ .label = ERR_NONE, .flags = MSGINFO_HANDLE, .handle = ports };
        ipc_reply(&reply);
    }
}
