/* source: turn an audit target (a folder, an archive, npm:NAME[@VERSION],
 * pypi:NAME[==VERSION]) into a package folder on this machine, without running any of
 * its code.
 *
 * Registry packages are fetched with `npm pack` or `pip download` into a private
 * temporary folder (mode 0700) and unpacked there with audit/archive.c; an npm tarball's
 * SHA-512 is computed here and compared with the integrity the registry publishes for
 * that version. Nothing is installed, and no install script runs. */
#ifndef MCPAUDIT_SOURCE_H
#define MCPAUDIT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/archive.h"

struct cJSON;

enum source_kind { SRC_FOLDER, SRC_ARCHIVE, SRC_NPM, SRC_PYPI };

struct audit_source {
	enum source_kind kind;
	char *spec;              /* the target as given */
	char *workdir;           /* private temporary folder, removed by source_free; NULL if none */
	char *root;              /* the package's folder: what is scanned and run */
	char *origin;            /* a folder target: its real path, where root was before a
				  * private copy was made; NULL otherwise */
	char *archive;           /* the archive unpacked (fetched or given), or NULL */
	char *name, *version;    /* registry targets: what was fetched */
	char *integrity;         /* npm: the registry's dist.integrity, verified against the tarball */
	struct cJSON *registry;  /* npm: {"time": {"created", VERSION: date...}, "versions": {VERSION: {}},
				  * "dist-tags"}; NULL otherwise. Owned. */
	struct unpack_result unpacked;  /* entries the unpacking refused */
};

struct source_options {
	unsigned timeout_s;      /* per helper program (npm, pip); 0: 120 */
	const char *tmp;         /* where the private folder goes; NULL: $TMPDIR or /tmp */
};

/* Whether spec names a registry package or an existing folder or archive (not a client
 * configuration file). */
bool source_is_package(const char *spec);

/* Fetch and unpack spec. Returns 0, or -1 with err saying what went wrong in words a user
 * can act on ("npm:NAME: no such package on https://registry.npmjs.org/ (npm: E404)").
 * out must be zeroed; free it with source_free (also after a failure). */
int source_fetch(const char *spec, const struct source_options *o, struct audit_source *out, char *err,
		 size_t errlen);

/* Make root a private copy the audit may change (dependencies are installed into it),
 * unless it already is one. Returns 0, or -1 with err. */
int source_make_private(struct audit_source *s, const struct source_options *o, char *err, size_t errlen);

/* Remove the private folder and free everything. */
void source_free(struct audit_source *s);

/* Remove a folder tree without following links. Returns 0 or -1. */
int source_remove_tree(const char *path);

#endif
