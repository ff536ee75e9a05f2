/* askenv: a server that will not start without some environment variables ("Please set
 * SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables") is run again with them set:
 * secrets as canaries of the tracer, the rest as harmless placeholders (addresses point at
 * the driver's probe host, which counts as user-directed). Most API servers need a key to
 * start; without this, their run would show nothing. */
#ifndef MCPAUDIT_ASKENV_H
#define MCPAUDIT_ASKENV_H

#include <stddef.h>

#include "core/vec.h"

#define ASKENV_MAX 8   /* variables supplied at most */

typedef VEC(char *) askenv_list;

struct askenv {
	askenv_list env;         /* "NAME=placeholder" */
	askenv_list secret_env;  /* "NAME=shape" for the tracer to replace with a canary */
	askenv_list shown;       /* "NAME=(canary)", "NAME=placeholder": for the report */
};

/* Find in text (a crashed server's error output) the variables it asks for that neither
 * list sets (each "NAME=VALUE", NULL-terminated, either may be NULL). Returns how many were
 * found (0: nothing to retry with), or -1 when memory ran out. */
int askenv_find(const char *text, const char *const *env, const char *const *secret_env, struct askenv *out);
void askenv_free(struct askenv *a);

#endif
