/* Finding the source files under the paths given, safely: links, loops, dependency folders. */
#ifndef MCPAUDIT_WALK_H
#define MCPAUDIT_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/lang.h"
#include "core/report.h"
#include "core/vec.h"

struct source_file {
	char *path;       /* as opened (root joined with rel) */
	char *rel;        /* relative to the walk root: what reports show */
	char *package;    /* with include_deps: the dependency it belongs to ("lodash", "@scope/x"), else NULL */
	enum grammar grammar;
	long long size;   /* bytes at walk time (for scheduling: largest first) */
};

struct walk_result {
	char *root;       /* the folder paths are relative to (a file's folder when given a file) */
	VEC(struct source_file) files;
	unsigned deps_skipped; /* dependency folders not entered (without include_deps) */
};

/* Walk one path (folder or file). Source files are those lang_for_path accepts.
 * Without include_deps, node_modules, site-packages, dist-packages, .venv/venv (a folder
 * with pyvenv.cfg), .git and __pycache__ are not entered (counted in deps_skipped except
 * .git/__pycache__). Symbolic links are followed only when they stay inside the root;
 * a link out of the tree, a link loop, an unreadable folder or file, or a special file with
 * a source extension becomes an incomplete entry in r (and counts as skipped), never a
 * silent skip. At most 200,000 files and 64 levels deep; hitting a cap is recorded.
 * Returns 0, or -1 with a message in err when path does not exist or cannot be read at all.
 * Caller frees out with walk_result_free. */
int walk_path(const char *path, bool include_deps, struct walk_result *out, struct report *r,
	      char *err, size_t errlen);
void walk_result_free(struct walk_result *w);

/* Read a source file for parsing: at most max_bytes (larger files are refused).
 * Refuses, with a reason in why (e.g. "binary content (NUL byte at offset 1234)",
 * "file is larger than 32 MiB", "cannot read: Permission denied"), files that are not
 * text. Invalid UTF-8 is not refused (tree-sitter parses around it, and a Latin-1
 * comment is common): *bad_utf8_line is set to the first line with invalid UTF-8, or 0,
 * so the caller can record it. Returns the bytes (caller frees with free, NUL-terminated)
 * and their length, or NULL with why filled in. */
char *source_read(const char *path, size_t max_bytes, size_t *len, unsigned *bad_utf8_line,
		  char *why, size_t whylen);

#endif
