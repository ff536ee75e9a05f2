/* URL objects changed after construction: `u.host = ...`, `u.pathname = ...`,
 * `u.searchParams.set(k, v)` between `const u = new URL(...)` and its use. */
#ifndef MCPAUDIT_URL_MUTATION_H
#define MCPAUDIT_URL_MUTATION_H

#include "analyzer/module.h"
#include "analyzer/value.h"

/* At most this many assignments to one URL object are followed; more are left out. */
#define URL_MUTATION_MAX 16

/* v, the value d (a variable bound to `new URL(...)`) was constructed with, after the
 * assignments to its parts that come before at in the file. v itself when there are none
 * or the URL is not known well enough to split (its scheme and host must be known text).
 * Arena-allocated in m's arena. */
struct value *url_mutation_apply(struct module *m, const struct decl *d, struct value *v, TSNode at);

#endif
