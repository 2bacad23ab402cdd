/* microkernel/sched.c, built for the IPC model test (model_shim.h). */
#include "model_shim.h"
#pragma GCC diagnostic ignored "-Wpointer-to-int-cast"   /* idle's stack top: never used here */
#include "sched.c"
