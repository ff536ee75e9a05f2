/* depcache: installed dependency trees by lockfile content, copied and checked (see the
 * header for the guarantees). */
#include "audit/depcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "analyzer/summary_cache.h"
#include "audit/source.h"
#include "core/strbuf.h"
#include "core/vec.h"

/* Changes whenever what is hashed or how a tree is laid out changes: old entries then
 * simply have other names. */
#define FORMAT_TAG "mcpaudit-depcache-2\n"
#define DIGEST_FILE "digest"
#define TREE_DIR "tree"

/* One copy of a tree, hashed as it goes. */
struct copy {
	struct sha256_ctx sha;
	bool store;               /* into the cache: read-only modes; else writable ones */
	char rel[4096];           /* the entry's path below the tree's top */
	unsigned entries;
	unsigned long long bytes;
	char why[256];            /* set on the first refusal */
};

struct name_list {
	char **items;
	size_t len, cap;
};

static int refuse(struct copy *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keeps the first reason (the one that stopped the copy); returns -1. */
static int refuse(struct copy *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->why[0]) {
		va_start(ap, fmt);
		vsnprintf(c->why, sizeof c->why, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void hex_of(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

bool depcache_dir(char *out, size_t cap)
{
	return cache_dir_named("deps", out, cap);
}

void depcache_key(const char *lock, size_t len, char key[DEPCACHE_KEY_LEN + 1])
{
	struct sha256_ctx sha;
	struct utsname u;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&sha);
	sha256_update(&sha, sizeof FORMAT_TAG - 1, (const uint8_t *)FORMAT_TAG);
	/* npm ci installs the optional dependencies whose os and cpu match this machine */
	if (uname(&u) == 0) {
		sha256_update(&sha, strlen(u.sysname) + 1, (const uint8_t *)u.sysname);
		sha256_update(&sha, strlen(u.machine) + 1, (const uint8_t *)u.machine);
	}
	sha256_update(&sha, len, (const uint8_t *)lock);
	sha256_digest(&sha, sizeof d, d);
	hex_of(d, sizeof d, key);
}

/* The hashed record of one entry: its type, its path, then what it holds. */
static void hash_head(struct copy *c, char type, bool exec)
{
	char head[3] = {type, exec ? 'x' : '-', '\0'};

	sha256_update(&c->sha, 3, (const uint8_t *)head);
	sha256_update(&c->sha, strlen(c->rel) + 1, (const uint8_t *)c->rel);
}

/* The SHA-256 of the bytes of the file name in src, into the hash: a digest of fixed length,
 * so that no file's bytes can pass for the records after it (a file's end joined to the
 * next file). */
static int hash_bytes(struct copy *c, int src, const char *name)
{
	struct sha256_ctx own;
	uint8_t d[SHA256_DIGEST_SIZE];
	int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[1 << 16];
	ssize_t n = -1;

	if (in < 0)
		return refuse(c, "cannot read %.200s", c->rel);
	sha256_init(&own);
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if ((c->bytes += (unsigned long long)n) > DEPCACHE_BYTES_MAX)
			break;
		sha256_update(&own, (size_t)n, (const uint8_t *)buf);
	}
	close(in);
	if (c->bytes > DEPCACHE_BYTES_MAX)
		return refuse(c, "%s", "the tree is larger than 2 GiB");
	if (n != 0)
		return refuse(c, "cannot read %.200s", c->rel);
	sha256_digest(&own, sizeof d, d);
	sha256_update(&c->sha, sizeof d, d);
	return 0;
}

/* A copy of the file name of src in dst, with mode. */
static int copy_bytes(struct copy *c, int src, int dst, const char *name, mode_t mode)
{
	int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = in < 0 ? -1 : openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	char buf[1 << 16];
	ssize_t n = -1;
	int rc = -1;

	if (in >= 0 && out >= 0)
		while ((n = read(in, buf, sizeof buf)) > 0 && xwrite_all(out, buf, (size_t)n) == 0)
			;
	if (n == 0 && fchmod(out, mode) == 0)
		rc = 0;
	else
		refuse(c, "cannot copy %.200s", c->rel);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* A file of the tree: hard-linked where both folders are on one file system, copied where
 * they are not. A link is safe because neither side is ever written in place: the entry's
 * files are read-only and stored before any code of the package runs, and the sandbox gives
 * the server an overlay (or a copy) of the package folder, never the folder itself (the
 * files are not written through any of them: tracer/sandbox.h). On a slow disk, linking the
 * 4,000 files of server-memory's tree took 0.17 s where copying them took 3.9 s (as long as
 * npm ci). The bytes are hashed either way, from the entry. */
static int copy_file(struct copy *c, int src, int dst, const char *name, bool exec)
{
	mode_t mode = c->store ? (exec ? 0555 : 0444) : (exec ? 0755 : 0644);

	hash_head(c, 'f', exec);
	if (hash_bytes(c, src, name) != 0)
		return -1;
	if (linkat(src, name, dst, name, 0) == 0)
		return !c->store || fchmodat(dst, name, mode, 0) == 0 ? 0 : refuse(c, "cannot set the mode of %.200s", c->rel);
	return copy_bytes(c, src, dst, name, mode);
}

static int copy_link(struct copy *c, int src, int dst, const char *name)
{
	char target[4096];
	ssize_t n = readlinkat(src, name, target, sizeof target - 1);

	if (n < 0 || (size_t)n >= sizeof target - 1)
		return refuse(c, "cannot read the link %.200s", c->rel);
	target[n] = '\0';
	hash_head(c, 'l', false);
	sha256_update(&c->sha, (size_t)n + 1, (const uint8_t *)target);
	return symlinkat(target, dst, name) == 0 ? 0 : refuse(c, "cannot make the link %.200s", c->rel);
}

static int copy_dir(struct copy *c, int src, int dst, int depth);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the folder open at fd, sorted (the hash must not depend on the order the
 * file system lists them in). Takes nothing; caller frees each and the list. */
static int sorted_names(int fd, struct name_list *names)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		char *name;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		name = strdup(e->d_name);
		if (!name || vec_push(names, name) != 0) {
			free(name);
			rc = -1;
		}
	}
	closedir(d);
	if (names->len)
		qsort(names->items, names->len, sizeof *names->items, by_name);
	return rc;
}

/* One entry of the folder: c->rel already names it. */
static int copy_entry(struct copy *c, int src, int dst, const char *name, int depth)
{
	struct stat st;

	if (++c->entries > DEPCACHE_ENTRIES_MAX)
		return refuse(c, "%s", "the tree has more than 200000 entries");
	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return refuse(c, "cannot look at %.200s", c->rel);
	if (S_ISREG(st.st_mode))
		return copy_file(c, src, dst, name, (st.st_mode & 0111) != 0);
	if (S_ISLNK(st.st_mode))
		return copy_link(c, src, dst, name);
	if (!S_ISDIR(st.st_mode))
		return refuse(c, "%.200s is not a file, a folder or a link", c->rel);
	if (depth >= DEPCACHE_DEPTH_MAX)
		return refuse(c, "%s", "folders nested deeper than 64");
	hash_head(c, 'd', false);
	if (mkdirat(dst, name, 0700) != 0)
		return refuse(c, "cannot make %.200s", c->rel);
	int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int d = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = s >= 0 && d >= 0 ? copy_dir(c, s, d, depth + 1) : refuse(c, "cannot open %.200s", c->rel);
	if (rc == 0 && fchmod(d, c->store ? 0555 : 0755) != 0)
		rc = refuse(c, "cannot set the mode of %.200s", c->rel);
	if (s >= 0)
		close(s);
	if (d >= 0)
		close(d);
	return rc;
}

/* Copies the folder open at src into the one open at dst (both stay open). */
static int copy_dir(struct copy *c, int src, int dst, int depth)
{
	struct name_list names = {0};
	size_t len = strlen(c->rel);
	int rc = sorted_names(src, &names) == 0 ? 0 : refuse(c, "cannot list %.200s", c->rel[0] ? c->rel : ".");

	for (size_t i = 0; rc == 0 && i < names.len; i++) {
		int k = snprintf(c->rel + len, sizeof c->rel - len, "%s%s", len ? "/" : "", names.items[i]);
		rc = k > 0 && (size_t)k < sizeof c->rel - len ? copy_entry(c, src, dst, names.items[i], depth)
							     : refuse(c, "%s", "a path longer than 4096 bytes");
		c->rel[len] = '\0';
	}
	for (size_t i = 0; i < names.len; i++)
		free(names.items[i]);
	vec_free(&names);
	return rc;
}

/* Copies the folder from into the new folder to (made here), hashing key and the tree into
 * hex. Returns 0, or -1 with c->why set (to may be left half made: the caller removes it). */
static int copy_tree(struct copy *c, const char *key, const char *from, const char *to,
		     char hex[DEPCACHE_KEY_LEN + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	int s = open(from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), t = -1, rc = -1;

	sha256_init(&c->sha);
	sha256_update(&c->sha, DEPCACHE_KEY_LEN + 1, (const uint8_t *)key);  /* an entry renamed to another key fails */
	if (s < 0 || mkdir(to, 0700) != 0 || (t = open(to, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		refuse(c, "cannot open or make %.200s", s < 0 ? from : to);
		goto out;
	}
	if (copy_dir(c, s, t, 0) != 0 || fchmod(t, c->store ? 0555 : 0755) != 0) {
		refuse(c, "cannot set the mode of %.200s", to);
		goto out;
	}
	sha256_digest(&c->sha, sizeof d, d);
	hex_of(d, sizeof d, hex);
	rc = 0;
out:
	if (s >= 0)
		close(s);
	if (t >= 0)
		close(t);
	return rc;
}

/* Ours and writable by nobody else: a folder another user (or group) can write into could
 * be changed between the check and the copy. */
static bool private_to_us(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && !S_ISLNK(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 022) == 0;
}

static bool key_valid(const char *key)
{
	size_t n = strspn(key, "0123456789abcdef");

	return n == DEPCACHE_KEY_LEN && !key[n];
}

int depcache_restore(const char *dir, const char *key, const char *root, char *why, size_t whylen)
{
	char *entry = xasprintf("%s/%s", dir, key), *tree = xasprintf("%s/%s/" TREE_DIR, dir, key);
	char *stored_path = xasprintf("%s/%s/" DIGEST_FILE, dir, key), *dest = xasprintf("%s/node_modules", root);
	char *stored = NULL, hex[DEPCACHE_KEY_LEN + 1];
	struct copy c = {.store = false};
	struct stat st;
	size_t len = 0;
	int rc = 0;

	why[0] = '\0';
	if (!entry || !tree || !stored_path || !dest) {
		rc = -1;
		goto out;
	}
	if (!key_valid(key) || lstat(entry, &st) != 0 || lstat(dest, &st) == 0)
		goto out;  /* none (or a tree there already, never replaced): not a refusal */
	if (!private_to_us(dir) || !private_to_us(entry) || !private_to_us(tree) || !private_to_us(stored_path))
		snprintf(why, whylen, "the entry or its folder belongs to another user or is writable by others");
	else if (!(stored = xreadfile(stored_path, 256, &len)) || len < DEPCACHE_KEY_LEN)
		snprintf(why, whylen, "it has no digest");
	else if (copy_tree(&c, key, tree, dest, hex) != 0)
		snprintf(why, whylen, "%s", c.why);
	else if (strncmp(hex, stored, DEPCACHE_KEY_LEN) != 0)
		snprintf(why, whylen, "its files are not the ones stored (digest %.16s..., stored %.16s...)", hex, stored);
	else
		rc = 1;
	if (rc != 1 && why[0]) {
		source_remove_tree(dest);  /* the copy of a refused entry is never used */
		source_remove_tree(entry); /* installed again and stored afresh */
	}
out:
	free(entry);
	free(tree);
	free(stored_path);
	free(dest);
	free(stored);
	return rc;
}

int depcache_store(const char *dir, const char *key, const char *root, char *err, size_t errlen)
{
	char *from = xasprintf("%s/node_modules", root), *tmp = xasprintf("%s/%s.tmp-XXXXXX", dir, key);
	char *tree = NULL, *digest = NULL, *entry = xasprintf("%s/%s", dir, key), hex[DEPCACHE_KEY_LEN + 1];
	struct copy c = {.store = true};
	int rc = -1, fd = -1;

	if (!from || !tmp || !entry || !key_valid(key)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (xmkdirs(dir, 0700) != 0 || !private_to_us(dir) || !mkdtemp(tmp)) {
		snprintf(err, errlen, "%s: cannot make a private folder there", dir);
		goto out;
	}
	tree = xasprintf("%s/" TREE_DIR, tmp);
	digest = xasprintf("%s/" DIGEST_FILE, tmp);
	if (!tree || !digest || copy_tree(&c, key, from, tree, hex) != 0) {
		snprintf(err, errlen, "%s", c.why[0] ? c.why : "out of memory");
		goto out;
	}
	fd = open(digest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
	if (fd < 0 || xwrite_all(fd, hex, DEPCACHE_KEY_LEN) != 0 || chmod(tmp, 0500) != 0) {
		snprintf(err, errlen, "%s: %s", digest, strerror(errno));
		goto out;
	}
	/* whole or not at all: a reader never sees a half-made entry (one stored meanwhile by
	 * another audit of the same lockfile is as good) */
	if (rename(tmp, entry) != 0 && errno != EEXIST && errno != ENOTEMPTY) {
		snprintf(err, errlen, "%s: %s", entry, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp && tmp[0] && access(tmp, F_OK) == 0)
		source_remove_tree(tmp);
	free(from);
	free(tmp);
	free(tree);
	free(digest);
	free(entry);
	return rc;
}
