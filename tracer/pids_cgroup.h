/* pids_cgroup: a process limit for one sandbox when mcpaudit runs as root.
 *
 * Rootless, RLIMIT_NPROC does the job: the kernel counts it per user namespace (5.14+), so
 * only the sandbox's own processes count. As root there is no user namespace and
 * RLIMIT_NPROC would count every uid-0 process of the host, so a fork bomb could take the
 * host's whole PID table. A cgroup's pids.max counts exactly the processes (and threads)
 * inside it: this module makes one under the caller's own cgroup, in the pids hierarchy of
 * cgroup v1 or in cgroup v2, and removes it afterwards. */
#ifndef MCPAUDIT_PIDS_CGROUP_H
#define MCPAUDIT_PIDS_CGROUP_H

#include <limits.h>
#include <stddef.h>

struct pids_cgroup {
	char dir[PATH_MAX];      /* the cgroup made; "" when none */
};

/* Makes a cgroup with pids.max = max. Returns 0, or -1 with err saying why (no pids
 * controller, not delegated, read-only cgroup fs), cg->dir left "". */
int pids_cgroup_create(struct pids_cgroup *cg, unsigned long max, char *err, size_t errlen);

/* Moves the calling process into it (its children follow). Async-signal-safe after fork:
 * no allocation. Returns 0 or -1 with errno. */
int pids_cgroup_enter(const struct pids_cgroup *cg);

/* Removes it once every process in it is gone (waits a moment for exits to finish). */
void pids_cgroup_remove(struct pids_cgroup *cg);

#endif
