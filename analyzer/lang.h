/* Languages: file extension -> language -> grammar and query folder. */
#ifndef MCPAUDIT_LANG_H
#define MCPAUDIT_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* The order is the bit order of report.languages (see docs/report-format.md). */
enum language { LANG_JAVASCRIPT, LANG_TYPESCRIPT, LANG_PYTHON, LANG_COUNT };

/* A grammar variant: TypeScript has two (typescript and tsx). */
enum grammar { GRAMMAR_JAVASCRIPT, GRAMMAR_TYPESCRIPT, GRAMMAR_TSX, GRAMMAR_PYTHON, GRAMMAR_COUNT };

struct TSLanguage;

/* Grammar for a file name by its extension; false when it is not a source file we read.
 * This table is the one list of source-file extensions: every stage asks it. */
bool lang_for_path(const char *path, enum grammar *out);
/* Why path is never parsed though it may look like source (a .d.ts declaration file, a .map
 * source map), or NULL. Borrowed, static. lang_for_path is false for these. */
const char *lang_skip_reason(const char *path);
/* The length of path's source-file extension (".mjs": 4), 0 when it has none: what a
 * module's name is without it. */
size_t lang_suffix_len(const char *path);
/* Whether node runs path as it is (.js, .cjs, .mjs). */
bool lang_node_runs(const char *path);
/* The i-th extension node tries for a bare "x" (x.js, x.cjs, x.mjs), NULL past the last. */
const char *lang_node_suffix(size_t i);
enum language grammar_language(enum grammar g);
const struct TSLanguage *grammar_ts_language(enum grammar g);
const char *language_name(enum language l);
const char *grammar_name(enum grammar g);
/* True for JavaScript, TypeScript and TSX (they share the JavaScript queries). */
bool grammar_is_js(enum grammar g);

#endif
