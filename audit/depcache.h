/* depcache: installed npm dependency trees, kept by the lockfile that pinned them, so that
 * a second audit of the same resolution copies the tree instead of running `npm ci` (which
 * unpacks every tarball again: most of an audit's fixed CPU cost, issue 10).
 *
 * An entry is named by its key: the SHA-256 of a format tag, the platform and the bytes of
 * the lockfile npm wrote and mcpaudit checked (every entry pinned by its integrity hash), so
 * one content means one tree. It is stored only right after `npm ci` succeeded, before any
 * code of the package has run (the sandbox never sees a tree it could have written), with
 * a SHA-256 over the key and the whole tree (sorted paths, types, executable bits, bytes,
 * link targets), files and folders read-only, built under a temporary name and renamed.
 *
 * A restore hard-links each file where the entry and the package share a file system (else
 * copies it; folders and links are always made anew) and hashes the entry's bytes as it
 * goes; the tree is used only when that hash is the stored one and the entry and its
 * folder belong to this user and are writable by nobody else. Otherwise the tree is
 * removed, the entry deleted and the caller installs afresh (and stores again). Linking is
 * safe because no file is ever written in place: the entry's are read-only, and the sandbox
 * gives the server an overlay or a copy of the package folder, never the folder. */
#ifndef MCPAUDIT_DEPCACHE_H
#define MCPAUDIT_DEPCACHE_H

#include <stdbool.h>
#include <stddef.h>

#define DEPCACHE_KEY_LEN 64          /* hex SHA-256 */
#define DEPCACHE_ENTRIES_MAX 200000u /* files, folders and links of one tree */
#define DEPCACHE_BYTES_MAX ((unsigned long long)2 << 30)
#define DEPCACHE_DEPTH_MAX 64

/* The folder entries live in ($MCPAUDIT_CACHE_DIR/deps, else $XDG_CACHE_HOME/mcpaudit/deps,
 * else ~/.cache/mcpaudit/deps). False when none can be named. */
bool depcache_dir(char *out, size_t cap);

/* key (DEPCACHE_KEY_LEN hex digits and a NUL) of a lockfile's bytes on this platform. */
void depcache_key(const char *lock, size_t len, char key[DEPCACHE_KEY_LEN + 1]);

/* Copy the entry key of dir into root/node_modules (which must not exist). Returns 1 when
 * the copy is there and checked, 0 when there is no usable entry (why says why when one
 * was there but refused: then it is removed; "" when there was none), -1 when memory or
 * the disk ran out (nothing left behind). */
int depcache_restore(const char *dir, const char *key, const char *root, char *why, size_t whylen);

/* Store root/node_modules as the entry key of dir (made if needed). Returns 0, or -1 with
 * err set (nothing stored; the audit goes on). */
int depcache_store(const char *dir, const char *key, const char *root, char *err, size_t errlen);

#endif
