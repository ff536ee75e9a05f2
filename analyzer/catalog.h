/* The catalog of client libraries (analyzer/data/catalog_*.tsv): which constructions and
 * calls of an SDK contact which hosts by default, and which option changes them. */
#ifndef MCPAUDIT_CATALOG_H
#define MCPAUDIT_CATALOG_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "analyzer/module.h"
#include "analyzer/value.h"

#define CATALOG_MAX_OPTIONS 4

/* One line of a catalog file (see docs/catalog.md). Strings borrow the catalog's text. */
struct catalog_entry {
	const char *package;      /* "openai" */
	const char *callee;       /* resolved callee name: "openai.OpenAI" */
	const char *category;     /* "http", "database", "mail", "websocket", ... */
	const char *default_url;  /* "https://api.openai.com/v1", or NULL when it has none */
	const char *options[CATALOG_MAX_OPTIONS]; /* where a configured destination lives:
						   * "arg0", "arg1.host", "kw:base_url" */
	size_t noptions;
	const char *env;          /* the environment variable the library reads, or NULL */
	const char *version;      /* the version whose code the default was read from */
	const char *services;     /* the names docs call the service by, comma-separated
				   * ("openai"): the optional tenth column, else derived from the
				   * package name and the default host's domain; NULL when none */
};

/* The entry for a resolved callee name in grammar g's ecosystem (npm for JavaScript and
 * TypeScript, PyPI for Python), or NULL. Borrowed from the catalog, which lives as long as
 * the program. Thread-safe once catalog_load has returned. */
const struct catalog_entry *catalog_find(enum grammar g, const char *callee);

/* Hand every callee name of grammar g's catalog ("openai.OpenAI") to fn. */
void catalog_each_callee(enum grammar g, void (*fn)(void *ctx, const char *callee), void *ctx);

/* Parse the embedded catalogs. Returns 0, or -1 with "file:line: what" in err. Called once
 * before the workers start; catalog_find loads on first use when it was not. */
int catalog_load(char *err, size_t errlen);

/* The destination a call of e with argument list args (a JavaScript `arguments` or Python
 * `argument_list` node) reaches: the configured option's value when one is given, else the
 * default URL flagged VF_SDK_DEFAULT. An option read from an environment variable with no
 * default of its own falls back to the library's default, so both are alternatives.
 * NULL when the call names no destination and the library has no default. Arena-allocated. */
struct value *catalog_destination(struct module *m, const struct catalog_entry *e, TSNode args);

/* The row of analyzer/data/catalog_commands.tsv for a child process's command line
 * ("npx -y pkg", "python -m pip install x", "git clone URL"): the first word naming a
 * catalogued tool whose subcommand, when the row lists some, follows. NULL when none.
 * Borrowed from the catalog. */
const struct catalog_entry *catalog_find_command(const char *cmd);

/* e's default URL as a value flagged VF_SDK_DEFAULT (e->default_url must not be NULL); a
 * star in its host is an unknown leading part. Allocated in a. */
struct value *catalog_default_value(struct arena *a, const struct catalog_entry *e);

/* "host,uri": the members of argument 0 entry e reads its destination from ("arg0.host",
 * "arg0.uri"), in a's memory; NULL when it reads none. */
const char *catalog_members(struct arena *a, const struct catalog_entry *e);

/* The evidence expression for a default destination ("openai 5.10.1 default; set by
 * arg0.baseURL or $OPENAI_BASE_URL"), allocated in a. */
const char *catalog_describe(struct arena *a, const struct catalog_entry *e);

#endif
