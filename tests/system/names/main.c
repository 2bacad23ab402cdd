/*
 * The name service suite (tests/suites boots it): proc starts this program
 * twice -- the suite, and `role=echo`, a server that registers "echo" --
 * and bootfs, whose service "fs" the name service finds as well.  Each
 * program has its own "names" handle, so proc knows them apart: a lookup
 * hands the looker a handle badged as the looker, and only the registrant
 * may remove a name.
 */
#include <relay/libos.h>
#include <relay/names_client.h>
#include <relay/bootfs_client.h>
#include <relay/rpc.h>
#include "../lib/objects.h"
#include "../lib/utest.h"

enum { ECHO_WHO = 1, ECHO_QUIT };


/* The server: answers WHO with the badge it sees, ends on QUIT. */
ROLE(echo)
{
    relay_handle ep;
    struct msg m;
    (void)argc, (void)argv;
    if (endpoint_create(startup_info()->factory, &ep) || name_register("echo", ep))
        return 1;
    for (int err = ipc_recv(ep, &m, TIMEOUT_FOREVER);; ) {
        if (!err && m.label == ECHO_QUIT) {
            msg_set(&m, ERR_NONE, 0, 0);
            ipc_reply(&m);
            return 0;
        }
        uint32_t badge = m.badge;
        msg_set(&m, ERR_NONE, &badge, 1);
        err = ipc_reply_recv(ep, &m, &m, TIMEOUT_FOREVER);
    }
}

static relay_handle echo;

TEST(lookup_finds_the_server, "a server's registered name is found; the handle reaches it, badged as the looker; two lookups, one badge")
{
    relay_handle again;
    struct msg r;
    int err = ERR_NOT_FOUND;
    for (int i = 0; i < 200 && err == ERR_NOT_FOUND; i++)   /* the server starts beside us */
        if ((err = name_lookup("echo", &echo)) == ERR_NOT_FOUND)
            sleep_ticks(1);
    CHECK_EQ(err, ERR_NONE);
    CHECK_EQ(rpc_call(echo, ECHO_WHO, 0, 0, &r), ERR_NONE);
    uint32_t badge = r.w[0];
    CHECK(badge != 0);
    CHECK_EQ(name_lookup("echo", &again), ERR_NONE);
    CHECK_EQ(rpc_call(again, ECHO_WHO, 0, 0, &r), ERR_NONE);
    CHECK_EQ(r.w[0], badge);
    handle_delete(again);
}

TEST(services_by_name, "the driver manager's services are found by name: bootfs as \"fs\"")
{
    relay_handle fs;
    char name[BOOTFS_NAME_MAX];
    uint32_t size, files;
    CHECK_EQ(name_lookup("fs", &fs), ERR_NONE);
    CHECK_EQ(bootfs_list(fs, 0, name, &size, &files), ERR_NONE);
    CHECK_EQ(files, 3);                                    /* bootfs and this program twice */
    handle_delete(fs);
}

TEST(errors, "unknown names, taken names, bad names, removing another's name, registering no handle or a badged one: each its error")
{
    relay_handle ep, badged, h;
    struct msg m;
    CHECK_EQ(name_lookup("nope", &h), ERR_NOT_FOUND);
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    CHECK_EQ(name_register("echo", ep), ERR_STATE);
    CHECK_EQ(name_register("fs", ep), ERR_STATE);          /* a service's name is taken too */
    CHECK_EQ(name_register("Upper", ep), ERR_INVALID);
    CHECK_EQ(name_register("", ep), ERR_INVALID);
    CHECK_EQ(name_register("a-name-far-too-long", ep), ERR_INVALID);
    CHECK_EQ(name_remove("echo"), ERR_NO_RIGHTS);
    CHECK_EQ(name_remove("nope"), ERR_NOT_FOUND);
    CHECK_EQ(handle_mint(ep, 7, RIGHT_SEND, &badged), ERR_NONE);
    CHECK_EQ(name_register("mine", badged), ERR_INVALID);
    m = (struct msg){ .label = NAMES_REGISTER, .length = NAMES_NAME_WORDS };
    CHECK(names_pack(m.w, "mine"));
    CHECK_EQ(ipc_call(startup_handle("names"), &m, 300), ERR_NONE);   /* no handle with it */
    CHECK_EQ(m.label, ERR_INVALID);
    m = (struct msg){ .label = 0xE0077, .length = NAMES_NAME_WORDS };
    CHECK(names_pack(m.w, "mine"));
    CHECK_EQ(ipc_call(startup_handle("names"), &m, 300), ERR_NONE);
    CHECK_EQ(m.label, ERR_INVALID);
    handle_delete(badged);
    handle_delete(ep);
}

TEST(register_and_remove, "a program registers its own name, finds it, removes it; it is gone")
{
    relay_handle ep, h;
    struct msg m;
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    CHECK_EQ(name_register("mine", ep), ERR_NONE);
    CHECK_EQ(name_lookup("mine", &h), ERR_NONE);
    CHECK_EQ(ipc_send(h, 5, 0, 0, TIMEOUT_POLL), ERR_TIMEOUT);   /* it is our endpoint: nobody receives */
    CHECK_EQ(name_remove("mine"), ERR_NONE);
    CHECK_EQ(name_lookup("mine", &h), ERR_NOT_FOUND);
    (void)m;
    handle_delete(ep);
}

TEST(names_go_with_their_registrant, "when the server ends, its name goes")
{
    struct msg r;
    relay_handle h;
    int err = ERR_NONE;
    CHECK_EQ(rpc_call(echo, ECHO_QUIT, 0, 0, &r), ERR_NONE);
    for (int i = 0; i < 300 && err == ERR_NONE; i++)
        if ((err = name_lookup("echo", &h)) == ERR_NONE) {
            handle_delete(h);
            sleep_ticks(1);
        }
    CHECK_EQ(err, ERR_NOT_FOUND);
}

int main(int argc, char **argv)
{
    return utest_main("names", argc, argv);
}
