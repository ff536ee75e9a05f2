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

/* One thread, by /proc/PID/task/TID/syscall: "NR ARG0 .. ARG5 SP PC" while blocked in a
 * call, "running" or "-1 SP PC" otherwise. */
static bool thread_waiting(const char *pid, const char *tid)
{
	char path[560], buf[256], *end;
	unsigned long long arg[6];
	long nr;

	snprintf(path, sizeof path, "/proc/%s/task/%s/syscall", pid, tid);
	if (!read_small(path, buf, sizeof buf))
		return false;
	nr = strtol(buf, &end, 10);
	if (end == buf)
		return false;  /* "running" */
	for (int i = 0; i < 6; i++) {
		char *p = end;
		arg[i] = strtoull(p, &end, 16);
		if (end == p)
			return false;
	}
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
		if (waits[i].nr != nr)
			continue;
		switch (waits[i].ending) {
		case ENDS_NEVER: return true;
		case ENDS_PIPE_READ: return fd_is_pipe(pid, arg[0]);
		case ENDS_INT_TIMEOUT: return (int)(uint32_t)arg[waits[i].arg] < 0;
		case ENDS_NULL_TIMEOUT: return arg[waits[i].arg] == 0;
		case ENDS_FUTEX: {
			unsigned op = (unsigned)arg[1] & FUTEX_CMD_MASK;
			return (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && arg[3] == 0;
		}
		}
	}
	return false;
}

static bool process_waiting(const char *pid)
{
	char path[300];
	DIR *d;
	bool waiting = true;
	size_t threads = 0;

	snprintf(path, sizeof path, "/proc/%s/task", pid);
	if (!(d = opendir(path)))
		return false;
	for (struct dirent *e; waiting && (e = readdir(d));) {
		if (!all_digits(e->d_name))
			continue;
		threads++;
		waiting = thread_waiting(pid, e->d_name);
	}
	closedir(d);
	return waiting && threads > 0;
}

bool pidns_others_waiting(void)
{
	DIR *d = opendir("/proc");
	bool waiting = true;
	size_t others = 0;

	if (!d)
		return false;
	for (struct dirent *e; waiting && (e = readdir(d));) {
		char state;
		if (!all_digits(e->d_name) || !strcmp(e->d_name, "1"))
			continue;
		state = process_state(e->d_name);
		if (!state || state == 'Z' || state == 'X')
			continue;  /* gone: it cannot act */
		others++;
		waiting = process_waiting(e->d_name);
	}
	closedir(d);
	return waiting && others > 0;
}
