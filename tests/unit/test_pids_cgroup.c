/* pids_cgroup: a real cgroup on this machine, with a process inside that forks until the
 * kernel refuses. Needs root (a user's cgroup is rarely delegated): skipped otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_skip.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/pids_cgroup.h"

#define LIMIT 8
#define TRIES 40

/* In the cgroup: forks children that wait on a pipe, counts the forks that worked, and exits
 * with that count (0 if it could not enter at all: 255). */
static int forker(const struct pids_cgroup *cg)
{
	int fds[2], made = 0;
	char c;

	if (pids_cgroup_enter(cg) < 0 || pipe(fds) < 0)
		return 255;
	for (int i = 0; i < TRIES; i++) {
		pid_t p = fork();
		if (p == 0) {
			close(fds[1]);
			(void)!read(fds[0], &c, 1);  /* until the parent closes the pipe */
			_exit(0);
		}
		if (p > 0)
			made++;
	}
	close(fds[1]);
	while (wait(NULL) > 0)
		;
	return made;
}

static void test_limit_holds(void **state)
{
	struct pids_cgroup cg;
	char err[512] = "", dir[PATH_MAX];
	struct stat st;
	int status;
	(void)state;

	if (geteuid() != 0)
		unit_skip("a pids cgroup needs root");
	if (pids_cgroup_create(&cg, LIMIT, err, sizeof err) < 0) {
		/* a machine without a pids controller: the error must say why */
		print_message("no pids cgroup here: %s\n", err);
		assert_true(strlen(err) > 10);
		assert_string_equal(cg.dir, "");
		unit_skip("no pids cgroup controller on this machine");
	}
	assert_int_equal(stat(cg.dir, &st), 0);
	snprintf(dir, sizeof dir, "%s", cg.dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(forker(&cg));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	/* the forker itself is one of LIMIT: at most LIMIT - 1 children, and some did start */
	assert_int_not_equal(WEXITSTATUS(status), 255);
	assert_true(WEXITSTATUS(status) >= 1);
	assert_true(WEXITSTATUS(status) <= LIMIT - 1);
	pids_cgroup_remove(&cg);
	assert_string_equal(cg.dir, "");
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_remove_without_create(void **state)
{
	struct pids_cgroup cg = {""};
	(void)state;

	pids_cgroup_remove(&cg);  /* nothing made: nothing to do, no crash */
	assert_string_equal(cg.dir, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_holds),
		cmocka_unit_test(test_remove_without_create),
	};
	return unit_finish(cmocka_run_group_tests(tests, NULL, NULL));
}
