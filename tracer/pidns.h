/* pidns: what is left running in the sandbox's PID namespace, seen from its PID 1. */
#ifndef MCPAUDIT_PIDNS_H
#define MCPAUDIT_PIDNS_H

#include <stdbool.h>

/* Whether any process other than PID 1 (the tracer) is alive in this PID namespace: one
 * that has not exited (zombies count as gone). Reads the namespace's own /proc, so it is
 * only meaningful in PID 1 of a namespace whose /proc is mounted. True when /proc cannot
 * be read: an unknown answer must never end a wait early. */
bool pidns_others_alive(void);

/* Whether every thread of every process other than PID 1 is blocked in a call that only
 * something from outside it can end: a read of a pipe, a wait for a child or a signal, a
 * poll, select, epoll or futex wait with no time-out. Such a process cannot act on its own
 * any more (unless a timer's signal wakes it: pidns cannot see alarm(2) or setitimer(2);
 * the caller must know none was armed). A read of a socket is not such a call (SO_RCVTIMEO
 * can end it). False when anything cannot be read, a thread is running or in any other
 * call, or no such process is left. */
bool pidns_others_waiting(void);

#endif
