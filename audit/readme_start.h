/* readme_start: how a package's README tells its users to start the server: the arguments
 * (such as --stdio) and the environment variables of its example client configuration
 * ("mcpServers": {...} in a fenced code block) or of a command line in one (`npx -y PKG
 * --stdio`, `claude mcp add NAME -e KEY=VALUE -- npx -y PKG`). Only an entry that starts
 * this very package counts (read with clientconfig's launcher table, as a client would
 * start it). The arguments are data for the server inside the sandbox; the values of
 * secret variables are only shapes for the tracer's canaries. */
#ifndef MCPAUDIT_README_START_H
#define MCPAUDIT_README_START_H

#include <stddef.h>

#include "core/vec.h"

#define README_START_MAX_BYTES ((size_t)1 << 20)  /* a longer README is read this far */
#define README_START_MAX_ARGS 64
#define README_START_MAX_ENV 32

typedef VEC(char *) readme_strings;

struct readme_start {
	readme_strings args;        /* after the package name, in the README's order */
	readme_strings env;         /* "NAME=VALUE" as the README gives them (not secrets) */
	readme_strings secret_env;  /* "NAME=VALUE" whose value is only the canary's shape */
	char *from;              /* "README.md:42": the line of the entry */
	const char *shape;       /* "client configuration" or "command line"; static */
};

/* Looks in root's README for the first entry that starts the package name of ecosystem
 * ("npm" or "pypi"). Returns 1 with out filled, 0 when there is none (or no README), -1
 * when memory ran out. Free out with readme_start_free whatever it returned. */
int readme_start_find(const char *root, const char *ecosystem, const char *name, struct readme_start *out);
void readme_start_free(struct readme_start *s);

#endif
