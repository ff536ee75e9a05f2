/* pidns: what is left running in the sandbox's PID namespace, seen from its PID 1. */
#ifndef MCPAUDIT_PIDNS_H
#define MCPAUDIT_PIDNS_H

#include <stdbool.h>

/* Whether any process other than PID 1 (the tracer) is alive in this PID namespace: one
 * that has not exited (zombies count as gone). Reads the namespace's own /proc, so it is
 * only meaningful in PID 1 of a namespace whose /proc is mounted. True when /proc cannot
 * be read: an unknown answer must never end a wait early. */
bool pidns_others_alive(void);

#endif
