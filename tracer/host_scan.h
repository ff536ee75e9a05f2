/* host_scan: the host's UNIX socket files and stray credential files, found before a
 * sandbox starts so that each can be covered inside it.
 *
 * A network namespace does not cover socket files: connect() to a path reaches whatever
 * listens there on the host (a container runtime, systemd's private bus, a database), and
 * a read-only mount does not stop it. Landlock (up to ABI 7, Linux 6.15) cannot refuse a
 * connect to a path either. So the sandbox mounts a tmpfs over /run and /var/run and binds
 * an empty file over every other socket file this walk finds. The same walk finds files
 * named like a credential file (a CI's .env, a .git-credentials outside any HOME), which
 * the sandbox covers with watched decoys. The walk reads directory entry types (no stat
 * per file), skips the trees the sandbox replaces, and stops at a cap: a walk cut short is
 * reported, never silent. */
#ifndef MCPAUDIT_HOST_SCAN_H
#define MCPAUDIT_HOST_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vec.h"

#define HOST_SCAN_ENTRIES_MAX 4000000u  /* directory entries read in all */
#define HOST_SCAN_FOUND_MAX 2048u       /* sockets, and credential files, kept (each a bind mount) */
#define HOST_SCAN_DEPTH_MAX 64

struct host_scan {
	VEC(char *) sockets;     /* absolute paths of socket files (owned) */
	VEC(char *) creds;       /* absolute paths of regular files with a credential file's name (owned) */
	size_t entries;          /* directory entries read */
	bool cut_short;          /* a cap was reached: what lies beyond it was not looked for */
	char why[200];           /* when cut_short: which cap */
};

/* What to walk: from start (an absolute directory, "/" for everything) on every file
 * system, not descending into skip (absolute, resolved paths; NULL or "" entries ignored),
 * taking regular files whose name is one of cred_names (NULL-terminated; may be NULL) but
 * none below not_creds (NULL: none). */
struct host_scan_plan {
	const char *start;
	const char *const *skip;
	size_t nskip;
	const char *const *cred_names;
	const char *not_creds;
};

/* Adds what it finds to scan. Unreadable directories are passed over: whoever runs the walk
 * cannot reach into them, and the sandboxed server has no more rights than the caller.
 * Returns 0, or -1 when memory runs out (scan then holds what was found so far). Caller
 * frees with host_scan_free. */
int host_scan_run(struct host_scan *scan, const struct host_scan_plan *plan);

void host_scan_free(struct host_scan *scan);

#endif
