/* The driver manager's control protocol (ipc/relay/drivers.h), from the client's side: see drvtest.h. */
#include "drvtest.h"

static int control(uint32_t label, const char *service, struct msg *m)
{
    relay_handle h = startup_handle("drivers");
    if (h == HANDLE_NULL)
        return ERR_BAD_HANDLE;            /* proc was not told control=drvtest.elf */
    *m = (struct msg){ .label = label, .length = DRIVER_NAME_WORDS };
    strncpy((char *)m->w, service, STARTUP_HANDLE_NAME);
    int err = ipc_call(h, m, TIMEOUT_FOREVER);
    return err ? err : (int)m->w[0];
}

int driver_status(const char *service, struct driver_status *s)
{
    struct msg m;
    int err = control(LABEL_DRIVER_STATUS, service, &m);
    if (!err)
        *s = (struct driver_status){ m.w[1], m.w[2], m.w[3], m.w[4] };
    return err;
}

int driver_kill(const char *service)
{
    struct msg m;
    return control(LABEL_DRIVER_KILL, service, &m);
}


int driver_wait(const char *service, int (*done)(const struct driver_status *), uint32_t ticks,
                struct driver_status *s)
{
    for (uint32_t waited = 0;; waited++) {
        int err = driver_status(service, s);
        if (err || done(s))
            return err;
        if (waited == ticks)
            return ERR_TIMEOUT;
        sleep_ticks(1);
    }
}
