/* What a failed assert does: see relay/assert.h. */
#include <relay/assert.h>
#include <relay/stdio.h>
#include <relay/object.h>

void assert_fail(const char *expr, const char *file, int line, const char *func)
{
    printf("assertion failed: %s (%s:%d, %s)\n", expr, file, line, func);
    exit(EXIT_ASSERT);
}
