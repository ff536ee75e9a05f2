/* Package-wide, per-call-site flow: a function's parameters bound by its callers in other
 * modules. While a file's tree is alive, its calls of other modules' functions are recorded
 * with their argument values, and a parameter nothing in its own file binds becomes a hole
 * that names it (struct param_ref). At the link step every call site whose destination
 * holds such a hole becomes one call site per caller, with that caller's values (and their
 * taint) in place, callers of callers followed to a bounded depth. */
#ifndef MCPAUDIT_FLOW_H
#define MCPAUDIT_FLOW_H

#include <stddef.h>

#include "analyzer/module.h"

/* Callers followed up the chain, and callers taken per parameter: past either bound the
 * call site keeps its unknown part, marked VF_LIMIT (the report lists it as incomplete). */
#define FLOW_MAX_DEPTH 4
#define FLOW_MAX_CALLERS 64
/* The readings one call site may become in all (callers times callers of callers): past it
 * the site as it was is kept too, cut short. Readings that say the same (flow_same_reading)
 * are kept once. */
#define FLOW_MAX_SITES 256
/* Calls recorded per file, and per callee name within it. */
#define FLOW_MAX_CALLS 4096
#define FLOW_MAX_CALLS_PER_NAME 64

/* The module key of a file: its path relative to the root without extension, /index or
 * /__init__ (what an import of it resolves to). Writes at most cap-1 bytes and a NUL. */
void flow_module_key(const char *rel, char *out, size_t cap);

/* The value of a parameter no caller in its own file binds: a hole naming the parameter of
 * function (the name other modules call it by: a function's, or a class's for its
 * constructor); a plain hole when function is NULL. key: the property a destructuring
 * parameter reads, or NULL. index counts what callers pass (self left out). Allocated in
 * m's arena. */
struct value *flow_param(struct module *m, const char *function, const char *name, const char *key, int index);

/* Whether m is a dependency's file, whose parameters are kept even where a default or a
 * fallback would stand for them: its exported functions are summarised (analyzer/summary.h)
 * by which parameter reaches a sink, and the default says where it goes without one. */
bool flow_keeps_params(const struct module *m);

/* obj.key of a parameter's hole (options.baseURL, args.url; config.auth.baseUrl in the server's own
 * files, a dotted path): the hole of that member of the parameter, which callers in other
 * modules bind (an object they pass, or a parameter of theirs in turn); NULL when obj is
 * not one. Allocated in m's arena. */
struct value *flow_param_member(struct module *m, const struct value *obj, const char *key);

/* Record the file's calls of functions imported from other modules of the server, with
 * their evaluated arguments, into m->out->calls (in m->out->arena). Values are evaluated in
 * m->scratch, which is reset. */
void flow_record_calls(struct module *m);

/* Record the file's stores into objects other modules export (`cfg.k = v` where cfg is
 * imported), with the stored value evaluated, into m->out->stores (in m->out->arena), at
 * most FLOW_MAX_STORES. Values are evaluated in m->scratch, which is reset. */
#define FLOW_MAX_STORES 256
void flow_record_stores(struct module *m);

/* An exported value of a module, or NULL (the link step's lookup). */
typedef struct value *(*flow_export_fn)(void *ctx, const char *module, const char *name);

/* Expand every call site whose destination, port, arguments or other arguments wait for a
 * parameter: one call site per caller (in any file), values bound. Returns 0 or -1 (out of
 * memory). */
/* Whether two readings of one call site say the same: the same category, origin of the
 * destination (scheme and host; a text without a scheme whole), port, command line, client
 * base and taint. */
bool flow_same_reading(const struct call_site *x, const struct call_site *y);

int flow_expand(struct file_result **files, size_t n, flow_export_fn exported, void *ctx);

#endif
