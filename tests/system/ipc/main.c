/* The IPC suite: main, and the helpers of ipctest.h. */
#include "ipctest.h"

relay_handle factory(void) { return startup_info()->factory; }
relay_handle self_task(void) { return startup_info()->self_task; }




int main(int argc, char **argv)
{
    if (never_signalled() == HANDLE_NULL)      /* made before any test counts objects */
        return 126;
    return utest_main("ipc", argc, argv);
}
