/* Joining the files of one server: values imported from other modules, and the phase
 * (start-up, tool:NAME) of functions reached through the call graph across files. */
#ifndef MCPAUDIT_LINK_H
#define MCPAUDIT_LINK_H

#include <stddef.h>

#include "analyzer/module.h"

/* Rewrite every call site of every file in place: module references replaced by the
 * exported values they name, and "fn:NAME" contexts replaced by the phase the call graph
 * gives ("tool:x", "startup", else "other"). Returns 0 or -1 (out of memory). */
int link_results(struct file_result **files, size_t n);

#endif
