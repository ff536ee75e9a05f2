/* pidns: what is left running in the sandbox's PID namespace, seen from its PID 1. */
#ifndef MCPAUDIT_PIDNS_H
#define MCPAUDIT_PIDNS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vec.h"

/* Whether any process other than PID 1 (the tracer) is alive in this PID namespace: one
 * that has not exited (zombies count as gone). Reads the namespace's own /proc, so it is
 * only meaningful in PID 1 of a namespace whose /proc is mounted. True when /proc cannot
 * be read: an unknown answer must never end a wait early. */
bool pidns_others_alive(void);

/* Every thread of the namespace's other processes and its CPU time, at a moment (the last
 * request sent to the server): a thread whose CPU time has changed since ran after it, so
 * the call it is blocked in now began after it. */
struct pidns_thread {
	int tid;
	uint64_t cpu_ns;
};

struct pidns_mark {
	VEC(struct pidns_thread) threads;
	uint64_t ms;   /* when it was taken (driver_clock_ms) */
	bool taken;
};

/* Takes the mark at now_ms (replacing one taken before). Returns 0, or -1 when /proc could
 * not be read or memory ran out (the mark is then not taken). */
int pidns_mark_take(struct pidns_mark *m, uint64_t now_ms);
void pidns_mark_free(struct pidns_mark *m);

/* Whether every thread of every process other than PID 1 is blocked in a call that cannot
 * end by itself before horizon_ms: a read of a pipe, a wait for a child or a signal, a
 * poll, select, epoll or futex wait with no time-out, or a poll or epoll wait whose time-out
 * (counted from the mark at the earliest: the thread has run since mark was taken) ends at
 * or after horizon_ms. Such a process cannot act on its own before then (unless a timer's
 * signal wakes it: pidns cannot see alarm(2) or setitimer(2); the caller must know none was
 * armed). A read of a socket is not such a call (SO_RCVTIMEO can end it). False when
 * anything cannot be read, a thread is running or in any other call, or no such process is
 * left. mark may be NULL or not taken: then only waits with no time-out count. */
bool pidns_others_waiting(const struct pidns_mark *mark, uint64_t horizon_ms);

#endif
