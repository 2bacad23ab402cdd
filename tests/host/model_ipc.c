/* microkernel/ipc.c, built for the IPC model test (model_shim.h). */
#include "model_shim.h"
#include "ipc.c"
