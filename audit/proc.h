/* proc: run a trusted helper program (npm, pip) outside the sandbox, with a
 * time limit, and collect what it prints.
 *
 * Only for tools that run none of the audited package's code: npm pack and npm view
 * (registry reads), npm install --ignore-scripts, pip download. The package itself only
 * ever runs inside the tracer's sandbox. */
#ifndef MCPAUDIT_PROC_H
#define MCPAUDIT_PROC_H

#include <stddef.h>

#define PROC_MAX_OUTPUT ((size_t)64 << 20)

struct proc_result {
	char *out;        /* standard output (NUL-terminated, capped at PROC_MAX_OUTPUT) */
	size_t out_len;
	char *err_tail;   /* the last line of standard error that has text, or "" */
	char *err_text;   /* the end of standard error (its last 8 KiB), or "" */
	int status;       /* exit status, or -1 when it was killed or timed out */
	int timed_out;
};

/* Run argv (argv[0] looked up in PATH) in cwd (NULL: the current folder) with stdin
 * from /dev/null, killing its whole process group after timeout_s seconds. Returns 0
 * when it ran (whatever its status), -1 with err when it could not be started. res is
 * filled either way; free it with proc_result_free. */
int proc_run(const char *const *argv, const char *cwd, unsigned timeout_s, struct proc_result *res,
	     char *err, size_t errlen);
/* The same with env_add ("NAME=VALUE", NULL-terminated; NULL: none) set in the program's
 * environment on top of ours. */
int proc_run_env(const char *const *argv, const char *const *env_add, const char *cwd, unsigned timeout_s,
		 struct proc_result *res, char *err, size_t errlen);
void proc_result_free(struct proc_result *res);

#endif
