/* unix_watch: the server's attempts to reach a UNIX socket, seen through a seccomp listener.
 *
 * The sandbox covers the host's socket files (host_scan) and its network namespace has its
 * own abstract socket names, so no attempt reaches a host daemon; but the attempt itself is
 * what the report must show: a server that tries /run/docker.sock or systemd's private bus
 * is trying to run commands on the host. The server's filter sends connect(2), and sendto(2)
 * with an address, to a listener (SECCOMP_RET_USER_NOTIF); this module reads the address
 * from the caller's memory, records it when it names a UNIX socket the sandbox did not make
 * itself, and lets the call go on (SECCOMP_USER_NOTIF_FLAG_CONTINUE): the decision to refuse
 * is the covered files', not ours, since the memory read here can change before the kernel
 * reads it (a second thread of the server can swap the address: the record is then wrong,
 * the covering still holds; docs/THREAT_MODEL.md says so). sendmsg(2) with an address is not
 * seen: the filter cannot look into struct msghdr without stopping every write of a socket. */
#ifndef MCPAUDIT_UNIX_WATCH_H
#define MCPAUDIT_UNIX_WATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/vec.h"

#define UNIX_WATCH_MAX 1000   /* attempts recorded; more are counted */

struct unix_attempt {
	char path[112];     /* the socket's path; "@name" for an abstract one */
	const char *call;   /* "connect" or "sendto" (static) */
	double ms;          /* by the caller's clock */
	char *phase;        /* owned */
	char process[16];   /* the caller's comm */
};

/* The caller's clock and current phase (phase: a malloc'd string the watch takes). */
struct unix_watch_clock {
	double (*now_ms)(void *ctx);
	char *(*phase)(void *ctx);
	void *ctx;
};

struct unix_watch {
	int listener;       /* taken: closed by unix_watch_stop */
	int wake;
	struct unix_watch_clock clock;
	VEC(struct unix_attempt) attempts;  /* complete once unix_watch_stop returned */
	size_t over_cap;
	int timers;         /* set (atomically) once the server armed a timer: alarm, setitimer(ITIMER_REAL),
			     * timer_settime or timerfd_settime */
	int thread_started;
	pthread_t thread;
};

/* Starts a thread answering the listener. Returns 0, or -1 with errno (the listener is then
 * closed, and calls it would have answered fail with ENOSYS). */
int unix_watch_start(struct unix_watch *w, int listener, const struct unix_watch_clock *clock);

/* Ends the thread (the server must be gone: its pending calls would fail with ENOSYS) and
 * closes the listener; the attempts stay until unix_watch_free. */
void unix_watch_stop(struct unix_watch *w);

void unix_watch_free(struct unix_watch *w);

/* Whether the server may have a timer armed: it armed one, or the watch is not running
 * (nothing was seen, so nothing is known). Callable from any thread while it runs. */
bool unix_watch_timers(const struct unix_watch *w);

#endif
