/*
 * The manager watching its drivers: a driver that never acknowledges its
 * interrupt is replaced, one that keeps crashing is given up on, and what
 * the control protocol refuses.  Booted with the test drivers noack and
 * crashy (tests/system/drivers/check has the command line).
 */
#include "drvtest.h"

#define WAIT_TICKS 1000u          /* 10 s: far more than any backoff here */

static uint32_t old_task;         /* the instance a test saw go */

static int replaced(const struct driver_status *s)
{
    return s->state == DRIVER_RUNNING && s->task != old_task;
}

static int given_up(const struct driver_status *s)
{
    return s->state == DRIVER_GAVE_UP;
}

TEST(watchdog_replaces_a_driver_that_never_acks,
     "noack takes IRQ 8 and never acks it: the watchdog has proc start another noack")
{
    struct driver_status s;
    CHECK_EQ(driver_status("noack", &s), ERR_NONE);
    CHECK_EQ(s.line, 8);
    CHECK_EQ(s.state, DRIVER_RUNNING);
    CHECK(s.task != 0);
    old_task = s.task;
    uint32_t restarts = s.restarts;
    CHECK_EQ(driver_wait("noack", replaced, WAIT_TICKS, &s), ERR_NONE);
    CHECK(s.task != old_task && s.task != 0);
    CHECK(s.restarts > restarts);
}

TEST(a_driver_that_keeps_crashing_is_given_up,
     "crashy dies at once each time: restarted restarts=3 times, then given up, its service closed")
{
    struct driver_status s;
    relay_handle service = startup_handle("crashy");
    CHECK(service != HANDLE_NULL);
    CHECK_EQ(driver_wait("crashy", given_up, WAIT_TICKS, &s), ERR_NONE);
    CHECK_EQ(s.state, DRIVER_GAVE_UP);
    CHECK_EQ(s.restarts, 3);
    CHECK_EQ(s.task, 0);
    /* proc revoked every handle to the service: ours is gone */
    struct msg m = { .label = 1, .length = 0 };
    CHECK_EQ(ipc_call(service, &m, TIMEOUT_POLL), ERR_STALE_HANDLE);
    CHECK_EQ(driver_kill("crashy"), ERR_STATE);
}

TEST(control_refuses_what_it_does_not_know,
     "status or kill of a service nobody serves, a name without a NUL, an unknown label: ERR_INVALID")
{
    struct driver_status s;
    CHECK_EQ(driver_status("nosuch", &s), ERR_INVALID);
    CHECK_EQ(driver_kill("nosuch"), ERR_INVALID);
    CHECK_EQ(driver_status("", &s), ERR_INVALID);
    struct msg m = { .label = LABEL_DRIVER_STATUS, .length = DRIVER_NAME_WORDS };
    memcpy(m.w, "noackxxxxxxx", STARTUP_HANDLE_NAME);      /* twelve bytes, no NUL */
    CHECK_EQ(ipc_call(startup_handle("drivers"), &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK_EQ(m.w[0], ERR_INVALID);
    m = (struct msg){ .label = 0x12345, .length = DRIVER_NAME_WORDS };
    strncpy((char *)m.w, "noack", STARTUP_HANDLE_NAME);
    CHECK_EQ(ipc_call(startup_handle("drivers"), &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK_EQ(m.w[0], ERR_INVALID);
}

TEST(a_program_holds_every_service_by_name,
     "proc gave this program a handle to each driver's service, by the service's name")
{
    CHECK(startup_handle("noack") != HANDLE_NULL);
    CHECK(startup_handle("drivers") != HANDLE_NULL);
    CHECK_EQ(startup_handle("disk"), HANDLE_NULL);       /* no disk driver in this boot */
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* A role given sharer's ports (as its parent handle, the one role_spawn
 * passes): it reads one of them every tick, for 10 s at most. */
ROLE(port_reader)
{
    (void)argc, (void)argv;
    for (uint32_t tick = 0; tick < 1000; tick++) {
        inb(SHARER_PORT);
        sleep_ticks(1);
    }
    return 0;
}

TEST(what_a_driver_passed_on_goes_with_it,
     "sharer gives its ports to us and we to a role that reads them: when proc takes sharer down, "
     "our copy is revoked and the role's next in is #GP")
{
    struct driver_status s;
    struct msg m = { .label = SHARER_GIVE_PORTS, .length = 0 };
    CHECK_EQ(ipc_call(startup_handle("sharer"), &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK_EQ(m.label, ERR_NONE);
    CHECK(m.flags & MSGINFO_HANDLE);
    relay_handle ports = m.handle, copy;

    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(role_spawn("role=port_reader", ports, 10, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 20, &status), TASK_ALIVE);     /* it reads, and lives */

    CHECK_EQ(driver_status("sharer", &s), ERR_NONE);
    old_task = s.task;
    CHECK_EQ(driver_kill("sharer"), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 13);                                         /* #GP: the ports are gone */
    CHECK_EQ(handle_copy(ports, RIGHTS_ALL, &copy), ERR_STALE_HANDLE);   /* and our copy */
    CHECK_EQ(driver_wait("sharer", replaced, WAIT_TICKS, &s), ERR_NONE);
}
