/* Tree-sitter queries from .scm files: compiled once, with the predicates our code evaluates. */
#ifndef MCPAUDIT_QUERY_H
#define MCPAUDIT_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/lang.h"

/* When a query file runs: index files build the bindings, tool and call tables that
 * the evaluator needs; sink files find the calls to report. The file's name says which
 * (see query.c: index_files[]). */
enum query_phase { QUERY_INDEX, QUERY_SINK };

struct predicate;

struct compiled_query {
	char *name;              /* "javascript/network.scm" */
	enum query_phase phase;
	TSQuery *query;
	struct predicate ***preds;  /* per pattern, a NULL-terminated array */
	uint32_t npatterns;
};

struct query_set {
	enum grammar grammar;
	struct compiled_query *queries;
	size_t nqueries;
};

/* For #resolves-to? @capture "name" ...: the resolved name of the callee at node
 * ("https.request"), or NULL. The predicate holds when that name is listed (an entry
 * "x.*" lists every member of x). Entries containing '=' are group headers
 * ("category=http role=any"), not names: the header of the matching name's group is
 * handed back as the match's tag. */
typedef const char *(*resolves_to_fn)(void *ctx, TSNode node);

/* #modelled? @callee "language": the callee's resolved name is an API of that language's
 * models (analyzer/models/LANGUAGE.txt); the match's tag is then QUERY_MODEL_TAG and the
 * engine picks the overload from the evaluated arguments (api_model.h). */
#define QUERY_MODEL_TAG "category=model"

/* Load and compile the queries for grammar g: javascript/ queries for JavaScript, TypeScript
 * and TSX, plus typescript/ queries for the last two, python/ queries for Python; from dir when
 * given, else the embedded copies. Returns 0, or -1 with "file:line:column: what" in err.
 * Caller frees with query_set_free. */
int query_set_load(struct query_set *out, enum grammar g, const char *dir, char *err, size_t errlen);
void query_set_free(struct query_set *qs);

/* Whether match m of q satisfies its pattern's predicates (#eq?, #not-eq?, #match?,
 * #not-match?, #any-of?, #resolves-to?, #modelled?) over source text src. *tag gets the group header of
 * the name #resolves-to? matched (see resolves_to_fn), else NULL. */
bool query_match_ok(const struct compiled_query *q, const TSQueryMatch *m, const char *src,
		    resolves_to_fn resolves, void *ctx, const char **tag);

/* Hand every API name the sink queries of qs can match to fn: the names of their
 * #resolves-to? lists ("x.*" as "x."; group headers left out) and, for #modelled?, every API
 * of the models named (api_models_each). For analyzer/prefilter.h. */
typedef void (*query_name_fn)(void *ctx, const char *name);
void query_set_each_sink_name(const struct query_set *qs, query_name_fn fn, void *ctx);

/* The name of capture index i ("call.http"). Borrowed from the query. */
const char *query_capture_name(const struct compiled_query *q, uint32_t i);

#endif
