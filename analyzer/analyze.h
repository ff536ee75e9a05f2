/* Analysing one source file: parse, index, match the sink queries, resolve, record call sites. */
#ifndef MCPAUDIT_ANALYZE_H
#define MCPAUDIT_ANALYZE_H

#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/module.h"
#include "analyzer/query.h"

/* What a worker thread holds: its parser, and the shared read-only query sets. */
struct summary_set;
struct prefilter;

struct analysis_env {
	TSParser *parser;
	const struct query_set *queries;   /* indexed by enum grammar */
	struct name_table *local_modules;  /* shared, read-only while workers run */
	struct eval_dispatch *const *dispatch; /* per grammar, shared, read-only */
	const struct summary_set *summaries;   /* the dependencies' (analyzer/summary.h), or NULL */
	const struct prefilter *prefilter;     /* JavaScript files whose sink pass can be left out
						* (analyzer/prefilter.h), or NULL: every file's runs */
};

enum analyze_status { ANALYZE_OK, ANALYZE_PARSE_FAILED, ANALYZE_NOMEM };

/* Analyse src (len bytes) as grammar g. out must have its arena, rel and package set.
 * On ANALYZE_PARSE_FAILED, why says what went wrong. Syntax errors are not failures:
 * tree-sitter recovers, and out->error_line names the first one. */
enum analyze_status analyze_source(struct analysis_env *env, enum grammar g, const char *src, size_t len,
				   struct file_result *out, char *why, size_t whylen);

#endif
