/* A cheap pre-filter over a JavaScript or TypeScript file's bytes: whether its sink pass (the
 * network, client-library and URL queries, analyzer/analyze.c) can record anything at all.
 *
 * A sink is recorded only when a callee resolves to a listed name (the sink queries'
 * #resolves-to? lists, the API models, the catalog, the dependency summaries), when
 * require()/import() is given a computed specifier, or, in the server's own files, for a
 * URL literal. A resolved name starts with a module specifier or a global that the file
 * spells out, so the file holds the longest identifier word of that name's first segment
 * ("child_process" of "child_process.exec", "fetch" of "node-fetch"); the ways the
 * evaluator makes a name from something not spelled so (a computed or escaped
 * require()/import specifier, a computed member of globalThis/window/self/global) are
 * triggers of their own. A file with none of them needs only its index pass (bindings,
 * exports, calls of other modules, tools), which still runs. That this gives the same
 * report is checked, not argued: tests/perf/test_prefilter.py scans with and without it
 * (MCPAUDIT_NO_PREFILTER=1, docs/static-engine.md). */
#ifndef MCPAUDIT_PREFILTER_H
#define MCPAUDIT_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

struct query_set;
struct summary_set;

struct prefilter;

/* The trigger words of the sink queries of every JavaScript-family grammar in qs (indexed by
 * enum grammar; a grammar not loaded has none), the JavaScript catalog, and sums (may be NULL). NULL when MCPAUDIT_NO_PREFILTER is set (non-empty) or memory ran
 * out: every file then goes through the sink pass. Free with prefilter_free. */
struct prefilter *prefilter_new(const struct query_set *qs, const struct summary_set *sums);
void prefilter_free(struct prefilter *pf);

/* Whether the sink pass can record anything in src (len bytes); own_file: a file of the
 * server's own (not a dependency's), whose URL literals are listed. True for a NULL pf. */
bool prefilter_needs_sinks(const struct prefilter *pf, const char *src, size_t len, bool own_file);

#endif
