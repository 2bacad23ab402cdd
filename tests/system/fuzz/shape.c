/*
 * What each call takes and returns, read from the doc strings of the one
 * list, RELAY_SYSCALLS: "(task, virtual, physical, flags) -> ()" says that
 * map takes a task handle, an address, a frame and flags.  The generator
 * draws half of each call's arguments with this in mind (so that map meets
 * a task and a frame of its own often enough to succeed), the pools know
 * a new handle's kind from "-> (endpoint)", and check.c knows that "-> ()"
 * leaves every register but EAX as it was.  No call is named here; a call
 * added to the list is fuzzed with its parameters' kinds at once.
 */
#include "fuzz.h"

/* A parameter's kind: the first keyword of the table its name contains. */
static const struct {
    const char *word;
    uint8_t kind;
} keywords[] = {
    { "endpoint", P_ENDPOINT },   { "notification", P_NOTIFICATION },
    { "factory", P_FACTORY },     { "supervisor", P_SUPERVISOR },
    { "thread", P_THREAD },       { "task", P_TASK },          { "handle", P_HANDLE },
    { "*", P_POINTER },           { "buffer", P_POINTER },
    { "virtual", P_ADDRESS },     { "utcb", P_ADDRESS },       { "stack", P_ADDRESS },
    { "entry", P_ADDRESS },       { "physical", P_FRAME },     { "info", P_INFO },
    { "priority", P_PRIORITY },   { "-", P_ANY },              { "w0", P_ANY },
    { "w1", P_ANY },              { "w2", P_ANY },             { "w3", P_ANY },
};

/* A new handle's kind, from the whole first result: "-> (task)". */
static const struct {
    const char *name;
    uint8_t kind;
} results[] = {
    { "endpoint", K_ENDPOINT }, { "notification", K_NOTIFICATION }, { "task", K_TASK },
    { "thread", K_THREAD },     { "new handle", K_SAME },
};

static struct call_shape shapes[256];

/* Whether s[0..n) contains word. */
static int contains(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (!strncmp(s + i, word, w))
            return 1;
    return 0;
}

static uint8_t param_kind(const char *name, size_t n)
{
    for (uint32_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (contains(name, n, keywords[i].word))
            return keywords[i].kind;
    return P_SMALL;                        /* lengths, counts, bits, rights, flags, status */
}

static uint8_t result_kind(const char *name, size_t n)
{
    for (uint32_t i = 0; i < sizeof results / sizeof results[0]; i++)
        if (strlen(results[i].name) == n && !strncmp(name, results[i].name, n))
            return results[i].kind;
    return K_UNKNOWN;
}

/* The names in "(a, b, c)" at *doc, one by one: their kinds into kinds[]. */
static const char *parse_list(const char *doc, uint8_t *kinds, uint32_t max,
                              uint8_t (*kind)(const char *, size_t))
{
    if (*doc != '(')
        return doc;
    for (uint32_t i = 0; *doc && *doc != ')'; i++) {
        const char *name = ++doc;
        while (*doc && *doc != ',' && *doc != ')')
            doc++;
        if (i < max)
            kinds[i] = kind(name, (size_t)(doc - name));
        if (*doc == ',' && doc[1] == ' ')
            doc++;
    }
    return *doc ? doc + 1 : doc;
}

/* How many registers "(badge, info, w0..w3)" names: "wA..wB" is B - A + 1 of
 * them, "(nothing)" and "()" none; a call that does not say (it does not
 * return) all six. */
static uint8_t count_results(const char *doc)
{
    if (*doc != '(')
        return 6;
    if (!strncmp(doc, "()", 2) || !strncmp(doc, "(nothing)", 9))
        return 0;
    uint8_t n = 1;
    for (doc++; *doc && *doc != ')'; doc++) {
        if (*doc == ',')
            n++;
        if (doc[0] == '.' && doc[1] == '.' && doc[-1] >= '0' && doc[-1] <= '9' && doc[3] >= '0'
            && doc[3] <= '9')
            n = (uint8_t)(n + doc[3] - doc[-1]);   /* w0..w3: three more than one name */
    }
    return n;
}

static void parse(const char *doc, struct call_shape *shape)
{
    uint8_t result = K_UNKNOWN;
    doc = parse_list(doc, shape->param, 6, param_kind);
    while (*doc == ' ' || *doc == '-' || *doc == '>')
        doc++;
    shape->results = count_results(doc);
    parse_list(doc, &result, 1, result_kind);
    shape->result = result;
}

const struct call_shape *call_shape(uint32_t nr)
{
    static int parsed;
    static const char *const docs[256] = {
#define FUZZ_DOC(name, nr, nargs, doc) [nr] = doc,
        RELAY_SYSCALLS(FUZZ_DOC)
#undef FUZZ_DOC
    };
    if (!parsed) {
        for (uint32_t i = 0; i < 256; i++)
            if (docs[i])
                parse(docs[i], &shapes[i]);
        parsed = 1;
    }
    return &shapes[nr & SYSCALL_NUMBER_MASK];
}
