/* proc: run a trusted helper program with a time limit and collect its output. */
#include "audit/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/strbuf.h"

#define ERR_KEEP 8192   /* bytes of standard error kept: only its end matters */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

extern char **environ;

static void child(const char *const *argv, char *const *envp, const char *cwd, int out, int errfd)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	if (cwd && chdir(cwd) != 0) {
		dprintf(2, "%s: %s\n", cwd, strerror(errno));
		_exit(127);
	}
	execvpe(argv[0], (char *const *)argv, envp);
	dprintf(2, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Our environment with env_add's entries replacing or added to it, built before fork (no
 * allocation in the child). The strings are borrowed; caller frees the array. */
static char **environment_with(const char *const *env_add)
{
	size_t n = 0, k = 0, extra = 0;
	char **envp;

	while (environ[n])
		n++;
	while (env_add && env_add[extra])
		extra++;
	if (!(envp = calloc(n + extra + 1, sizeof *envp)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t name = strcspn(environ[i], "=");
		bool replaced = false;
		for (size_t j = 0; j < extra && !replaced; j++)
			replaced = !strncmp(env_add[j], environ[i], name + 1);
		if (!replaced)
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < extra; j++)
		envp[k++] = (char *)env_add[j];
	return envp;
}

/* Keep only the last ERR_KEEP bytes of standard error. */
static void keep_tail(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n > ERR_KEEP && b->len > 0) {
		size_t drop = b->len + n - ERR_KEEP < b->len ? b->len + n - ERR_KEEP : b->len;
		memmove(b->s, b->s + drop, b->len - drop + 1);
		b->len -= drop;
	}
	strbuf_append(b, s, n);
}

static char *last_line(const char *s)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	return xstrndup(start, (size_t)(end - start));
}

/* Read both pipes until they close or the deadline passes. Returns 1 on a time-out. */
static int collect(int out, int errfd, long long deadline, struct strbuf *ob, struct strbuf *eb)
{
	struct pollfd p[2] = {{out, POLLIN, 0}, {errfd, POLLIN, 0}};
	char buf[65536];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return 1;
		if (poll(p, 2, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[i].fd = -1;
				continue;
			}
			if (i == 0)
				strbuf_append(ob, buf, (size_t)n);
			else
				keep_tail(eb, buf, (size_t)n);
		}
	}
	return 0;
}

int proc_run(const char *const *argv, const char *cwd, unsigned timeout_s, struct proc_result *res,
	     char *err, size_t errlen)
{
	return proc_run_env(argv, NULL, cwd, timeout_s, res, err, errlen);
}

int proc_run_env(const char *const *argv, const char *const *env_add, const char *cwd, unsigned timeout_s,
		 struct proc_result *res, char *err, size_t errlen)
{
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, status = 0;
	struct strbuf ob = STRBUF_INIT(PROC_MAX_OUTPUT), eb = STRBUF_INIT(0);
	char **envp = NULL;
	pid_t pid;
	int rc = -1;

	memset(res, 0, sizeof *res);
	res->status = -1;
	if (!(envp = environment_with(env_add))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(argv, envp, cwd, out[1], errp[1]);
	setpgid(pid, pid);  /* also here: the child may not have run yet when we kill */
	close(out[1]);
	close(errp[1]);
	out[1] = errp[1] = -1;
	res->timed_out = collect(out[0], errp[0], now_ms() + (long long)timeout_s * 1000, &ob, &eb);
	if (res->timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!res->timed_out && WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	res->out_len = ob.len;
	res->out = strbuf_take(&ob);
	res->err_tail = last_line(strbuf_str(&eb));
	res->err_text = strbuf_take(&eb);
	rc = res->out && res->err_tail && res->err_text ? 0 : -1;
	if (rc != 0)
		snprintf(err, errlen, "out of memory");
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	strbuf_free(&ob);
	strbuf_free(&eb);
	free(envp);
	return rc;
}

void proc_result_free(struct proc_result *res)
{
	free(res->out);
	free(res->err_tail);
	free(res->err_text);
	res->out = res->err_tail = res->err_text = NULL;
}
