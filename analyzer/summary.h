/* Dependency summaries: which exported functions and classes of a dependency reach a
 * network sink, through which parameter or option, and which host they default to, derived
 * from the call sites of the dependency's own files and applied at the server's calls of
 * them as if the dependency were a catalogued client (analyzer/catalog.h). */
#ifndef MCPAUDIT_SUMMARY_H
#define MCPAUDIT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/catalog.h"
#include "analyzer/module.h"
#include "core/vec.h"

/* Functions summarised per package; past it the rest are left out (summary_derive says). */
#define SUMMARY_MAX_PER_PACKAGE 256

/* One exported function or class of a dependency that reaches a sink. */
struct summary {
	struct catalog_entry lib;  /* as a catalog row: package, callee ("fake-client.FakeClient"),
				    * category, default_url, options ("arg0.baseURL"), version */
	const char *function;      /* the name the package exports it by: "FakeClient" */
	const char *sink;          /* where it reaches the network: "node_modules/x/index.js:8 fetch" */
};

/* The summaries of every dependency of one scan. Strings live in the set's arena. */
struct summary_set {
	struct arena *arena;
	VEC(struct summary) items;
	bool sorted;
};

/* A new empty set, or NULL when memory runs out. Free with summary_set_free (NULL is a no-op). */
struct summary_set *summary_set_new(void);
void summary_set_free(struct summary_set *s);

/* Add one summary (its strings are copied into the set's arena). Returns 0, or -1 when
 * memory runs out or the package has SUMMARY_MAX_PER_PACKAGE already. */
int summary_add(struct summary_set *s, const char *package, const char *version, const char *function,
		const char *category, const char *default_url, const char *const *options, size_t noptions,
		const char *sink);

/* Summarise package (at version) from the analysed files that belong to it: for each call
 * site whose destination starts with a parameter of one of its named functions or classes,
 * that function with the parameter's option path and the default the site falls back to.
 * Returns how many summaries were added, or -1 when memory ran out. */
int summary_derive(struct summary_set *s, const char *package, const char *version,
		   struct file_result *const *files, size_t n);

/* Sort for lookup; call once every summary is in, before the workers read the set. */
void summary_set_seal(struct summary_set *s);

/* The summary for a resolved callee name ("fake-client.FakeClient"), or NULL (also for a
 * NULL set). Borrowed from the set. Thread-safe once sealed. */
const struct summary *summary_find(const struct summary_set *s, const char *callee);

/* The evidence expression of a call of a summarised function ("fake-client 1.2.3
 * FakeClient reaches fetch at node_modules/fake-client/index.js:8; default ...; set by
 * arg0.baseURL"), in m's arena. */
const char *summary_describe(struct module *m, const struct summary *s);

#endif
