/* From crt0 to main and back to exit: see relay/start.h. */
#include <relay/start.h>
#include <relay/sys.h>
#include <relay/object.h>
#include <relay/thread.h>
#include <relay/memory.h>
#include <relay/heap.h>
#include <relay/string.h>

static const struct startup_info *page;
static char strings[STARTUP_STRINGS];            /* argv points here: writable, as C wants */
static char *argv[STARTUP_ARGS_MAX + 1];

const struct startup_info *startup_info(void)
{
    return page;
}

relay_handle startup_handle(const char *name)
{
    for (uint32_t i = 0; page && i < page->handle_count; i++)
        if (!strncmp(page->handles[i].name, name, STARTUP_HANDLE_NAME))
            return page->handles[i].handle;
    return HANDLE_NULL;
}

void libos_start(void)
{
    const struct startup_info *si = (const struct startup_info *)STARTUP_VADDR;
    uint32_t argc;
    if (startup_check(si) || startup_get_args(si, strings, argv, &argc)) {
        static const char why[] = "libos: bad startup page\n";
        sys_debug_write((uint32_t)why, sizeof why - 1);
        exit(EXIT_BAD_STARTUP);
    }
    page = si;
    thread_init_main(si);
    memory_init(si);
    heap_init();
    exit(main((int)argc, argv));
}
