/* unix_watch: connect(2) and sendto(2) to UNIX sockets, from a seccomp user notification
 * listener (seccomp_unotify(2)); see the header. */
#include "tracer/unix_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* Sockets a C library tries on its own, whatever the program does: not the server's choice.
 * glibc asks nscd on every name, user and group look-up. */
static const char *const library_probes[] = {"/var/run/nscd/socket", "/run/nscd/socket"};

/* Reads len bytes at addr in process pid. Returns 0 or -1. */
static int peek(pid_t pid, unsigned long long addr, void *out, size_t len)
{
	char mem[64];
	int fd;
	ssize_t n;

	snprintf(mem, sizeof mem, "/proc/%d/mem", (int)pid);
	if ((fd = open(mem, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = pread(fd, out, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Whether the abstract name is bound in this network namespace (by the server itself). */
static bool abstract_bound(const char *name)
{
	FILE *f = fopen("/proc/net/unix", "re");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		char *at = strrchr(line, ' ');
		if (at && at[1] == '@') {
			at[1 + strcspn(at + 1, "\n")] = '\0';
			found = !strcmp(at + 1, name);
		}
	}
	fclose(f);
	return found;
}

/* Whether a path names a live socket in the sandbox (the host's are all covered, so it is
 * one the server made), or a library's own probe. Relative paths are the caller's. */
static bool own_or_probe(pid_t pid, const char *path)
{
	char full[256];
	struct stat st;

	for (size_t i = 0; i < sizeof library_probes / sizeof library_probes[0]; i++)
		if (!strcmp(path, library_probes[i]))
			return true;
	if (path[0] == '@')
		return abstract_bound(path);
	if (path[0] == '/')
		snprintf(full, sizeof full, "%s", path);
	else
		snprintf(full, sizeof full, "/proc/%d/cwd/%s", (int)pid, path);
	return stat(full, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* The socket path in a sockaddr_un of len bytes; "" when it is not AF_UNIX. */
static void unix_path(const struct sockaddr_un *sa, size_t len, char *out, size_t outlen)
{
	size_t off = offsetof(struct sockaddr_un, sun_path), n = len > off ? len - off : 0;

	out[0] = '\0';
	if (len < sizeof(sa_family_t) || sa->sun_family != AF_UNIX || n == 0)
		return;
	if (sa->sun_path[0] == '\0')  /* abstract: the name is every byte after the NUL */
		snprintf(out, outlen, "@%.*s", (int)(n - 1), sa->sun_path + 1);
	else
		snprintf(out, outlen, "%.*s", (int)strnlen(sa->sun_path, n), sa->sun_path);
}

static void comm_of(pid_t pid, char *out, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	out[0] = '\0';
	if ((f = fopen(path, "re"))) {
		if (fgets(out, (int)len, f))
			out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

static void record(struct unix_watch *w, const struct seccomp_notif *req)
{
	bool is_connect = req->data.nr == SYS_connect;
	unsigned long long addr = req->data.args[is_connect ? 1 : 4], len = req->data.args[is_connect ? 2 : 5];
	struct sockaddr_un sa;
	struct unix_attempt a = {.call = is_connect ? "connect" : "sendto"};

	if (!addr || len < sizeof(sa_family_t))
		return;
	len = len > sizeof sa ? sizeof sa : len;
	memset(&sa, 0, sizeof sa);
	if (peek((pid_t)req->pid, addr, &sa, (size_t)len) < 0)
		return;
	unix_path(&sa, (size_t)len, a.path, sizeof a.path);
	if (!a.path[0] || own_or_probe((pid_t)req->pid, a.path))
		return;
	if (w->attempts.len >= UNIX_WATCH_MAX) {
		w->over_cap++;
		return;
	}
	a.ms = w->clock.now_ms(w->clock.ctx);
	a.phase = w->clock.phase(w->clock.ctx);
	comm_of((pid_t)req->pid, a.process, sizeof a.process);
	if (vec_push(&w->attempts, a) != 0)
		free(a.phase);
}

/* One notification: looked at, then let through. */
static void answer(struct unix_watch *w)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof req);
	if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	/* the id must still be valid after the memory read: the pid may have been reused */
	if (req.data.nr != SYS_connect && req.data.nr != SYS_sendto)
		__atomic_store_n(&w->timers, 1, __ATOMIC_RELEASE);  /* a timer call: nothing to read */
	else if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) == 0)
		record(w, &req);
	memset(&resp, 0, sizeof resp);
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	(void)ioctl(w->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void *loop(void *arg)
{
	struct unix_watch *w = arg;

	for (;;) {
		struct pollfd p[2] = {{w->listener, POLLIN, 0}, {w->wake, POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno == EINTR)
			continue;
		if (p[0].revents & POLLIN)
			answer(w);
		else if (p[1].revents || (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return NULL;
	}
}

int unix_watch_start(struct unix_watch *w, int listener, const struct unix_watch_clock *clock)
{
	w->listener = listener;
	w->clock = *clock;
	w->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->wake < 0 || pthread_create(&w->thread, NULL, loop, w) != 0) {
		int e = errno;
		close(listener);
		w->listener = -1;
		errno = e;
		return -1;
	}
	w->thread_started = 1;
	return 0;
}

void unix_watch_stop(struct unix_watch *w)
{
	if (w->thread_started && eventfd_write(w->wake, 1) == 0)
		pthread_join(w->thread, NULL);
	w->thread_started = 0;
	if (w->listener >= 0)
		close(w->listener);
	if (w->wake >= 0)
		close(w->wake);
	w->listener = w->wake = -1;
}

void unix_watch_free(struct unix_watch *w)
{
	for (size_t i = 0; i < w->attempts.len; i++)
		free(w->attempts.items[i].phase);
	vec_free(&w->attempts);
}

bool unix_watch_timers(const struct unix_watch *w)
{
	return !w->thread_started || __atomic_load_n(&w->timers, __ATOMIC_ACQUIRE);
}
