/* pidns: whether the target still has a process in the sandbox (see the header). */
#include "tracer/pidns.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The state letter of /proc/PID/stat (proc(5): after the command in parentheses, which
 * may itself hold ") "), or 0 when it cannot be read (the process is gone). */
static char process_state(const char *pid)
{
	char path[64], buf[512];
	const char *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool pidns_others_alive(void)
{
	DIR *d = opendir("/proc");
	bool alive = false;

	if (!d)
		return true;
	for (struct dirent *e; !alive && (e = readdir(d));) {
		char state;
		if (!all_digits(e->d_name) || !strcmp(e->d_name, "1"))
			continue;
		state = process_state(e->d_name);
		/* Z: exited, not yet reaped; X: being torn down; 0: gone since readdir */
		alive = state && state != 'Z' && state != 'X';
	}
	closedir(d);
	return alive;
}

/* ---- waiting for good ---- */

/* How a blocked call can end by itself, if at all: never (an event from outside must end
 * it), or when its time-out argument says so. */
enum ending {
	ENDS_NEVER,          /* wait4, pause: only a child's exit or a signal */
	ENDS_PIPE_READ,      /* read of arg 0: never, when arg 0 is a pipe */
	ENDS_INT_TIMEOUT,    /* never when argument `arg`, as an int, is negative */
	ENDS_NULL_TIMEOUT,   /* never when argument `arg` (a pointer to the time-out) is NULL */
	ENDS_FUTEX,          /* FUTEX_WAIT or FUTEX_WAIT_BITSET with no time-out (argument 3) */
};

static const struct {
	long nr;
	enum ending ending;
	int arg;
} waits[] = {
	{SYS_read, ENDS_PIPE_READ, 0},
	{SYS_readv, ENDS_PIPE_READ, 0},
	{SYS_wait4, ENDS_NEVER, 0},
	{SYS_waitid, ENDS_NEVER, 0},
	{SYS_rt_sigsuspend, ENDS_NEVER, 0},
	{SYS_ppoll, ENDS_NULL_TIMEOUT, 2},
	{SYS_pselect6, ENDS_NULL_TIMEOUT, 4},
	{SYS_epoll_pwait, ENDS_INT_TIMEOUT, 3},
	{SYS_futex, ENDS_FUTEX, 3},
#ifdef SYS_pause
	{SYS_pause, ENDS_NEVER, 0},
#endif
#ifdef SYS_poll
	{SYS_poll, ENDS_INT_TIMEOUT, 2},
#endif
#ifdef SYS_select
	{SYS_select, ENDS_NULL_TIMEOUT, 4},
#endif
#ifdef SYS_epoll_wait
	{SYS_epoll_wait, ENDS_INT_TIMEOUT, 3},
#endif
#ifdef SYS_epoll_pwait2
	{SYS_epoll_pwait2, ENDS_NULL_TIMEOUT, 3},
#endif
};

static bool read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

static bool fd_is_pipe(const char *pid, unsigned long long fd)
{
	char path[300], target[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%s/fd/%llu", pid, fd);
	n = readlink(path, target, sizeof target - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return !strncmp(target, "pipe:[", 6);
}

/* The thread's CPU time so far (the first field of schedstat), or false. */
static bool thread_cpu_ns(const char *pid, const char *tid, uint64_t *ns)
{
	char path[560], buf[128], *end;

	snprintf(path, sizeof path, "/proc/%s/task/%s/schedstat", pid, tid);
	if (!read_small(path, buf, sizeof buf))
		return false;
	*ns = strtoull(buf, &end, 10);
	return end != buf;
}

/* Whether the thread has run since the mark (or began after it). */
static bool ran_since(const struct pidns_mark *m, const char *pid, const char *tid)
{
	uint64_t now_ns;
	int id = (int)strtol(tid, NULL, 10);

	if (!m || !m->taken || !thread_cpu_ns(pid, tid, &now_ns))
		return false;
	for (size_t i = 0; i < m->threads.len; i++)
		if (m->threads.items[i].tid == id)
			return m->threads.items[i].cpu_ns != now_ns;
	return true;  /* not there then: it began after */
}

struct waiting_ctx {
	const struct pidns_mark *mark;
	uint64_t horizon_ms;
};

/* One thread, by /proc/PID/task/TID/syscall: "NR ARG0 .. ARG5 SP PC" while blocked in a
 * call, "running" or "-1 SP PC" otherwise. */
static bool thread_waiting(const char *pid, const char *tid, void *arg)
{
	const struct waiting_ctx *w = arg;
	char path[560], buf[256], *end;
	unsigned long long a[6];
	long nr;

	snprintf(path, sizeof path, "/proc/%s/task/%s/syscall", pid, tid);
	if (!read_small(path, buf, sizeof buf))
		return false;
	nr = strtol(buf, &end, 10);
	if (end == buf)
		return false;  /* "running" */
	for (int i = 0; i < 6; i++) {
		char *p = end;
		a[i] = strtoull(p, &end, 16);
		if (end == p)
			return false;
	}
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
		if (waits[i].nr != nr)
			continue;
		switch (waits[i].ending) {
		case ENDS_NEVER: return true;
		case ENDS_PIPE_READ: return fd_is_pipe(pid, a[0]);
		case ENDS_INT_TIMEOUT: {
			int ms = (int)(uint32_t)a[waits[i].arg];
			return ms < 0 || (w->mark && w->mark->ms + (uint64_t)ms >= w->horizon_ms && ran_since(w->mark, pid, tid));
		}
		case ENDS_NULL_TIMEOUT: return a[waits[i].arg] == 0;
		case ENDS_FUTEX: {
			unsigned op = (unsigned)a[1] & FUTEX_CMD_MASK;
			return (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && a[3] == 0;
		}
		}
	}
	return false;
}

/* Calls fn on every thread of every live process but PID 1 while it returns true. Returns
 * false when fn did, /proc could not be read, or there was no such thread. */
static bool each_thread(bool (*fn)(const char *pid, const char *tid, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	bool ok = true;
	size_t threads = 0;

	if (!d)
		return false;
	for (struct dirent *e; ok && (e = readdir(d));) {
		char path[300], state;
		DIR *t;
		if (!all_digits(e->d_name) || !strcmp(e->d_name, "1"))
			continue;
		state = process_state(e->d_name);
		if (!state || state == 'Z' || state == 'X')
			continue;  /* gone: it cannot act */
		snprintf(path, sizeof path, "/proc/%s/task", e->d_name);
		if (!(t = opendir(path))) {
			ok = false;
			break;
		}
		for (struct dirent *te; ok && (te = readdir(t));)
			if (all_digits(te->d_name)) {
				threads++;
				ok = fn(e->d_name, te->d_name, arg);
			}
		closedir(t);
	}
	closedir(d);
	return ok && threads > 0;
}

bool pidns_others_waiting(const struct pidns_mark *mark, uint64_t horizon_ms)
{
	struct waiting_ctx w = {mark, horizon_ms};

	return each_thread(thread_waiting, &w);
}

static bool mark_thread(const char *pid, const char *tid, void *arg)
{
	struct pidns_mark *m = arg;
	struct pidns_thread t = {.tid = (int)strtol(tid, NULL, 10)};

	return thread_cpu_ns(pid, tid, &t.cpu_ns) && vec_push(&m->threads, t) == 0;
}

int pidns_mark_take(struct pidns_mark *m, uint64_t now_ms)
{
	m->threads.len = 0;
	m->ms = now_ms;
	m->taken = each_thread(mark_thread, m);
	return m->taken ? 0 : -1;
}

void pidns_mark_free(struct pidns_mark *m)
{
	vec_free(&m->threads);
	m->taken = false;
}
