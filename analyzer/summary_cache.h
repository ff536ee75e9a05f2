/* The dependency-summary cache: a package's identity (name, version, integrity) and its
 * summaries stored under that key, so that a later scan reads them instead of deriving
 * them again. An entry is used only when the name, version and integrity stored in it
 * equal the installed package's. */
#ifndef MCPAUDIT_SUMMARY_CACHE_H
#define MCPAUDIT_SUMMARY_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/summary.h"

/* An installed package, as the cache keys it. */
struct package_id {
	char name[215];          /* npm's cap on a name is 214 */
	char version[128];
	char integrity[256];     /* npm's "sha512-..." or, when none is recorded, "files-sha256-<hex>" */
};

/* The package named name installed in folder dir (".../node_modules/name"): its version
 * from dir/package.json, its integrity from npm's lock files by the folder's path (the
 * project's package-lock.json, then node_modules/.package-lock.json), else a SHA-256 over
 * the npaths source files of it that were scanned (paths, bytes); never package.json's own
 * "_integrity", which the package can write as it likes. Returns
 * 0, or -1 with why in err (no readable package.json, no version, an unreadable file). */
int summary_cache_identify(const char *dir, const char *name, const char *const *paths, size_t npaths,
			   struct package_id *id, char *err, size_t errlen);

/* One of mcpaudit's cache folders: $MCPAUDIT_CACHE_DIR/sub, else $XDG_CACHE_HOME/mcpaudit/sub,
 * else ~/.cache/mcpaudit/sub. False when none can be named. */
bool cache_dir_named(const char *sub, char *out, size_t cap);
/* The lock files of one scan, each read and parsed once for all its packages (a project's
 * lock file was parsed again for each of its hundreds of packages: 3% of a scan). Start
 * zeroed; the trees are owned, released by summary_locks_free. Past SUMMARY_LOCKS files the
 * rest are read each time. */
#define SUMMARY_LOCKS 8
struct cJSON;
struct summary_locks {
	char *paths[SUMMARY_LOCKS];
	struct cJSON *trees[SUMMARY_LOCKS];  /* NULL for a file missing or not JSON */
	size_t n;
};
void summary_locks_free(struct summary_locks *locks);

/* summary_cache_identify, reading lock files through locks (NULL: read each time). */
int summary_cache_identify_in(struct summary_locks *locks, const char *dir, const char *name,
			      const char *const *paths, size_t npaths, struct package_id *id, char *err,
			      size_t errlen);

/* The cache folder: $MCPAUDIT_CACHE_DIR/summaries, else $XDG_CACHE_HOME/mcpaudit/summaries,
 * else ~/.cache/mcpaudit/summaries. False when none can be named. */
bool summary_cache_dir(char *out, size_t cap);

/* The entry's file for id in dir ("dir/name@version-<hash of integrity>.json", a scope's
 * slash as '+'). Writes at most cap-1 bytes and a NUL. */
void summary_cache_path(const char *dir, const struct package_id *id, char *out, size_t cap);

/* Add the cached summaries of id to s. Returns 1 when an entry was read, 0 when there is
 * none or it does not hold id's exact name, version and integrity or does not parse (it is
 * then derived again and overwritten), -1 when memory ran out. */
int summary_cache_load(const char *dir, const struct package_id *id, struct summary_set *s);

/* Write s's summaries of id's package to the cache (the folder is made if needed; written
 * to a temporary file and renamed, so a reader never sees half of it). Returns 0, or -1
 * with why in err. */
int summary_cache_store(const char *dir, const struct package_id *id, const struct summary_set *s, char *err,
			size_t errlen);

#endif
