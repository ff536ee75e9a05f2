/* sarif_paths: where a SARIF result points. GitHub code scanning places an alert on the
 * file at the result's uri taken from the root of the repository, so uris are made
 * relative to that root (found by looking for .git above the target, never by running
 * git), or to the folder given with --sarif-root; no absolute local path is written.
 * Columns are converted from the report's bytes to UTF-16 code units, SARIF's default
 * columnKind, by reading the line again. */
#ifndef MCPAUDIT_SARIF_PATHS_H
#define MCPAUDIT_SARIF_PATHS_H

#include <limits.h>

#include "core/strbuf.h"

/* How the base of the uris was chosen (said in originalUriBaseIds' description). */
enum sarif_base_kind { SARIF_BASE_REPOSITORY, SARIF_BASE_GIVEN, SARIF_BASE_TARGET };

struct sarif_base {
	enum sarif_base_kind kind;
	char root[PATH_MAX];     /* the base: absolute, real, no trailing '/' (but "/") */
	char target[PATH_MAX];   /* the report's root, absolute and real */
};

/* report_root: the folder the report's file names are relative to ("" or NULL: the working
 * folder). given: --sarif-root, or NULL to look for the repository. Returns 0, or -1 when
 * the report's root or the given folder cannot be resolved (errno set). */
int sarif_base_init(struct sarif_base *b, const char *report_root, const char *given);

/* A description of the base for a person ("the root of the git repository ..."). Static. */
const char *sarif_base_description(const struct sarif_base *b);

/* Appends to out the percent-encoded (RFC 3986) uri of file (relative to the report's root,
 * or absolute) relative to the base: "services/weather/src/index.js", or with "../" when
 * the file lies outside the base. Returns 0 or -1 (out of memory). */
int sarif_base_uri(const struct sarif_base *b, const char *file, struct strbuf *out);

/* The 1-based column in UTF-16 code units of the 1-based byte column on line of file, or
 * 0 when the file cannot be read as a regular file or the line is not there. */
unsigned sarif_utf16_column(const struct sarif_base *b, const char *file, unsigned line, unsigned byte_column);

#endif
