/* The static stage: source files -> parse -> call sites -> destinations -> endpoints + findings. */
#ifndef MCPAUDIT_STATIC_STAGE_H
#define MCPAUDIT_STATIC_STAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/report.h"

struct scan_options {
	const char *const *paths;  /* folders or files, as given */
	size_t npaths;
	bool include_deps;         /* also node_modules, site-packages, virtualenvs */
	unsigned jobs;             /* worker threads; 0 = number of cores */
	const char *queries_dir;   /* load .scm queries from here instead of the built-in ones */
	bool verbose;              /* each file on stderr as it is done */
	bool progress;             /* files done and files/s as a status line on stderr (core/progress.h) */
};

/* Fill r with every endpoint and intrinsic finding (everything but the comparison with
 * documented endpoints, which policy_apply does). Files that could not be analysed become
 * incomplete entries and unparsed-file findings.
 * Returns 0; or -1 with the reason in err when nothing could be checked at all (a query
 * that does not compile, no file parsed, a path that does not exist): the caller must
 * then exit 2, never report "clean". */
int static_stage_run(const struct scan_options *o, struct report *r, char *err, size_t errlen);

#endif
