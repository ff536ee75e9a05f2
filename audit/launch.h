/* launch: how to start an audited package's server, from what its manifest says (bin,
 * main, a start script, Python's [project.scripts]) or from a client configuration. */
#ifndef MCPAUDIT_LAUNCH_H
#define MCPAUDIT_LAUNCH_H

#include <stddef.h>

#include "core/report.h"
#include "core/vec.h"

/* Where a Python package's dependencies are installed, inside its private copy. */
#define LAUNCH_PYTHON_DEPS ".mcpaudit-deps"

struct launch {
	VEC(char *) argv;   /* NULL-terminated once built */
	VEC(char *) env;    /* extra "NAME=VALUE" (PYTHONPATH for Python packages) */
	char *how;          /* "bin mcp-server-memory", "main dist/index.js", ... */
};

/* Build the command for the package at root. pkg may be NULL. extra_args are appended
 * (a client configuration's arguments after the package name). Returns 0, or -1 with
 * why saying what was looked for. Free with launch_free either way. */
int launch_find(const char *root, const struct package_info *pkg, const char *const *extra_args,
		struct launch *out, char *why, size_t whylen);
void launch_free(struct launch *l);

#endif
