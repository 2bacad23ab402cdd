/* Relay's error codes (ipc/relay/error.h): numbers are ABI, names are for people. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "relay/error.h"

/* Success is zero and the first codes keep their numbers (append only). */
Test(error, first_numbers_are_fixed)
{
    cr_assert_eq(ERR_NONE, 0);
    cr_assert_eq(ERR_NO_MEMORY, 1);
    cr_assert_eq(ERR_INVALID, 2);
}

Test(error, well_known_names)
{
    cr_assert_str_eq(relay_error_name(ERR_NONE), "success");
    cr_assert_str_eq(relay_error_name(ERR_NO_MEMORY), "out of memory");
    cr_assert_str_eq(relay_error_name(ERR_INVALID), "invalid argument");
    cr_assert_str_eq(relay_error_name(ERR_RANGE), "address or size out of range");
}

/* Each entry of the list is reachable by its own code and gets its own text. */
Test(error, every_listed_code_maps_to_its_text)
{
    unsigned listed = 0;
#define CHECK(code, text)                                                        \
    cr_assert_lt((int)code, RELAY_ERROR_COUNT, #code);                           \
    cr_assert_str_eq(relay_error_name(code), text, #code);                       \
    listed++;
    RELAY_ERRORS(CHECK)
#undef CHECK
    cr_assert_eq(listed, RELAY_ERROR_COUNT);
}

Test(error, names_are_present_and_distinct)
{
    for (int a = 0; a < RELAY_ERROR_COUNT; a++) {
        cr_assert_not_null(relay_error_name(a), "code %d", a);
        cr_assert_gt(strlen(relay_error_name(a)), 0, "code %d", a);
        cr_assert_str_neq(relay_error_name(a), "unknown error", "code %d", a);
        for (int b = 0; b < a; b++)
            cr_assert_str_neq(relay_error_name(a), relay_error_name(b), "codes %d, %d", a, b);
    }
}

Test(error, out_of_range_codes_are_unknown)
{
    static const int bad[] = { -1, RELAY_ERROR_COUNT, RELAY_ERROR_COUNT + 1, 1000,
                               INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_str_eq(relay_error_name(bad[i]), "unknown error", "code %d", bad[i]);
}
