/* The dependency-summary cache: package identity from package.json and npm's lock files,
 * and entries as JSON files keyed by name, version and integrity. */
#include "analyzer/summary_cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json_read.h"
#include "core/strbuf.h"

#define CACHE_FORMAT 1
#define CACHE_MAX_BYTES ((size_t)4 << 20)      /* an entry, a package.json, a lock file */
#define LOCK_MAX_BYTES ((size_t)64 << 20)      /* a large project's lock file */
#define HASH_MAX_FILE_BYTES ((size_t)32 << 20)

/* The whole of a file up to max bytes, NUL-terminated; NULL when it cannot be read or is
 * larger. Caller frees. */
static char *read_all(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *p;
			cap = cap ? cap * 2 : 8192;
			if (cap > max + 4096 + 1 || !(p = realloc(buf, cap)))
				goto fail;
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > max)
			goto fail;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static cJSON *read_json(const char *path, size_t max)
{
	size_t len = 0;
	char *text = read_all(path, max, &len);
	cJSON *j = text ? json_read_tree(text, len, JSON_STRICT) : NULL;

	free(text);
	return j;
}

static const char *string_member(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* packages[key].integrity of an npm lock file (lockfileVersion 2 and 3), key being the
 * package folder's path from the project ("node_modules/a/node_modules/b"). */
static bool lock_integrity(struct summary_locks *locks, const char *lock, const char *key, char *out, size_t cap)
{
	cJSON *j = NULL, *owned = NULL;
	const char *v;
	bool found, kept = false;

	for (size_t i = 0; locks && i < locks->n && !kept; i++)
		if ((kept = !strcmp(locks->paths[i], lock)))
			j = locks->trees[i];
	if (!kept) {
		j = owned = read_json(lock, LOCK_MAX_BYTES);
		if (locks && locks->n < SUMMARY_LOCKS && (locks->paths[locks->n] = strdup(lock))) {
			locks->trees[locks->n++] = owned;
			owned = NULL;
		}
	}
	v = string_member(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "packages"), key),
			  "integrity");
	if ((found = v && *v))
		snprintf(out, cap, "%s", v);
	cJSON_Delete(owned);  /* v is the tree's: not read past here */
	return found;
}

void summary_locks_free(struct summary_locks *locks)
{
	for (size_t i = 0; i < locks->n; i++) {
		free(locks->paths[i]);
		cJSON_Delete(locks->trees[i]);
	}
	locks->n = 0;
}

/* The project folder dir is installed under (before its first node_modules) into root, and
 * dir's key in the project's lock files; false when dir is under no node_modules. */
static bool lock_key(const char *dir, char *root, size_t cap, const char **key)
{
	const char *p = strstr(dir, "/node_modules/");

	if (!p && strncmp(dir, "node_modules/", 13) == 0) {
		snprintf(root, cap, ".");
		*key = dir;
		return true;
	}
	if (!p)
		return false;
	snprintf(root, cap, "%.*s", (int)(p - dir), dir);
	*key = p + 1;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "files-sha256-<hex>" over the files' paths (sorted, relative to dir) and bytes. */
static int files_hash(const char *dir, const char *const *paths, size_t n, char *out, size_t cap, char *err,
		      size_t errlen)
{
	const char **sorted = calloc(n ? n : 1, sizeof *sorted);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	size_t dl = strlen(dir);
	int rc = -1;

	if (!sorted || !ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(sorted, paths, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		const char *rel = strncmp(sorted[i], dir, dl) == 0 ? sorted[i] + dl : sorted[i];
		char *bytes = read_all(sorted[i], HASH_MAX_FILE_BYTES, &len);
		if (!bytes) {
			snprintf(err, errlen, "%s: cannot read for the package's hash", sorted[i]);
			goto out;
		}
		EVP_DigestUpdate(ctx, rel, strlen(rel) + 1);
		EVP_DigestUpdate(ctx, &len, sizeof len);
		EVP_DigestUpdate(ctx, bytes, len);
		free(bytes);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	size_t k = (size_t)snprintf(out, cap, "files-sha256-");
	for (unsigned i = 0; i < mdlen && k + 3 <= cap; i++, k += 2)
		snprintf(out + k, cap - k, "%02x", md[i]);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(sorted);
	return rc;
}

int summary_cache_identify(const char *dir, const char *name, const char *const *paths, size_t npaths,
			   struct package_id *id, char *err, size_t errlen)
{
	return summary_cache_identify_in(NULL, dir, name, paths, npaths, id, err, errlen);
}

int summary_cache_identify_in(struct summary_locks *locks, const char *dir, const char *name,
			      const char *const *paths, size_t npaths, struct package_id *id, char *err,
			      size_t errlen)
{
	char path[4200], root[4096];
	cJSON *pkg;
	const char *v, *key;

	memset(id, 0, sizeof *id);
	snprintf(id->name, sizeof id->name, "%s", name);
	snprintf(path, sizeof path, "%s/package.json", dir);
	if (!(pkg = read_json(path, CACHE_MAX_BYTES))) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		return -1;
	}
	if (!(v = string_member(pkg, "version")) || !*v) {
		snprintf(err, errlen, "%s: no version", path);
		cJSON_Delete(pkg);
		return -1;
	}
	snprintf(id->version, sizeof id->version, "%s", v);
	cJSON_Delete(pkg);
	/* never package.json's "_integrity": the package writes that itself, and a tampered
	 * copy would be read with a clean one's cached summary. The project's lock file (as npm
	 * reads it, by the folder's path), then npm's hidden one; else the files' own hash. */
	if (lock_key(dir, root, sizeof root, &key)) {
		snprintf(path, sizeof path, "%s/package-lock.json", root);
		if (lock_integrity(locks, path, key, id->integrity, sizeof id->integrity))
			return 0;
		snprintf(path, sizeof path, "%s/node_modules/.package-lock.json", root);
		if (lock_integrity(locks, path, key, id->integrity, sizeof id->integrity))
			return 0;
	}
	return files_hash(dir, paths, npaths, id->integrity, sizeof id->integrity, err, errlen);
}

bool cache_dir_named(const char *sub, char *out, size_t cap)
{
	const char *own = getenv("MCPAUDIT_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (own && *own)
		snprintf(out, cap, "%s/%s", own, sub);
	else if (xdg && *xdg == '/')
		snprintf(out, cap, "%s/mcpaudit/%s", xdg, sub);
	else if (home && *home == '/')
		snprintf(out, cap, "%s/.cache/mcpaudit/%s", home, sub);
	else
		return false;
	return true;
}

bool summary_cache_dir(char *out, size_t cap)
{
	return cache_dir_named("summaries", out, cap);
}

/* A name or version as a file-name piece: anything but letters, digits and ".+_-" as '_'
 * (a scope's '/' as '+'), so that no package.json can name a path outside the folder. */
static void file_piece(const char *s, char *out, size_t cap)
{
	size_t k = 0;

	for (; *s && k + 1 < cap; s++, k++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     (c && strchr(".+_-", c));
		out[k] = *s == '/' ? '+' : plain ? *s : '_';
	}
	out[k] = '\0';
	if (out[0] == '.')
		out[0] = '_';
}

void summary_cache_path(const char *dir, const struct package_id *id, char *out, size_t cap)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char name[sizeof id->name], version[sizeof id->version], hex[17] = "";

	file_piece(id->name, name, sizeof name);
	file_piece(id->version, version, sizeof version);
	if (EVP_Digest(id->integrity, strlen(id->integrity), md, &mdlen, EVP_sha256(), NULL) == 1)
		for (unsigned i = 0; i < 8 && i < mdlen; i++)
			snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02x", md[i]);
	snprintf(out, cap, "%s/%s@%s-%s.json", dir, name, version, hex);
}

/* Whether the entry j is for exactly id. */
static bool same_key(const cJSON *j, const struct package_id *id)
{
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
	const char *n = string_member(j, "package"), *v = string_member(j, "version"),
		   *i = string_member(j, "integrity");

	return cJSON_IsNumber(fmt) && fmt->valueint == CACHE_FORMAT && n && v && i && !strcmp(n, id->name) &&
	       !strcmp(v, id->version) && !strcmp(i, id->integrity);
}

/* One cached summary into s; false when it lacks a field. */
static int load_one(const cJSON *e, const struct package_id *id, struct summary_set *s)
{
	const char *options[CATALOG_MAX_OPTIONS];
	size_t n = 0;
	const cJSON *o;
	const char *fn = string_member(e, "function"), *cat = string_member(e, "category"),
		   *sink = string_member(e, "sink");

	if (!fn || !cat || !sink)
		return 0;
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(e, "options"))
		if (cJSON_IsString(o) && n < CATALOG_MAX_OPTIONS)
			options[n++] = o->valuestring;
	return summary_add(s, id->name, id->version, fn, cat, string_member(e, "default_url"), options, n, sink) == 0
		       ? 1 : -1;
}

int summary_cache_load(const char *dir, const struct package_id *id, struct summary_set *s)
{
	char path[4096];
	cJSON *j, *e;
	int rc = 0;

	summary_cache_path(dir, id, path, sizeof path);
	if (!(j = read_json(path, CACHE_MAX_BYTES)))
		return 0;
	if (same_key(j, id) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "summaries"))) {
		rc = 1;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "summaries"))
			if (load_one(e, id, s) < 0) {
				rc = -1;
				break;
			}
	}
	cJSON_Delete(j);
	return rc;
}

static cJSON *entry_json(const struct summary *e)
{
	cJSON *o = cJSON_CreateObject(), *opts = cJSON_CreateArray();

	if (!o || !opts) {
		cJSON_Delete(o);
		cJSON_Delete(opts);
		return NULL;
	}
	cJSON_AddStringToObject(o, "function", e->function);
	cJSON_AddStringToObject(o, "category", e->lib.category);
	if (e->lib.default_url)
		cJSON_AddStringToObject(o, "default_url", e->lib.default_url);
	for (size_t i = 0; i < e->lib.noptions; i++)
		cJSON_AddItemToArray(opts, cJSON_CreateString(e->lib.options[i]));
	cJSON_AddItemToObject(o, "options", opts);
	cJSON_AddStringToObject(o, "sink", e->sink);
	return o;
}

static char *entry_text(const struct package_id *id, const struct summary_set *s)
{
	cJSON *j = cJSON_CreateObject(), *list = cJSON_CreateArray();
	char *text = NULL;

	if (!j || !list) {
		cJSON_Delete(list);
		goto out;
	}
	cJSON_AddNumberToObject(j, "format", CACHE_FORMAT);
	cJSON_AddStringToObject(j, "package", id->name);
	cJSON_AddStringToObject(j, "version", id->version);
	cJSON_AddStringToObject(j, "integrity", id->integrity);
	cJSON_AddItemToObject(j, "summaries", list);
	for (size_t i = 0; i < s->items.len; i++)
		if (!strcmp(s->items.items[i].lib.package, id->name))
			cJSON_AddItemToArray(list, entry_json(&s->items.items[i]));
	text = cJSON_Print(j);
out:
	cJSON_Delete(j);
	return text;
}

int summary_cache_store(const char *dir, const struct package_id *id, const struct summary_set *s, char *err,
			size_t errlen)
{
	char path[4096], tmp[4200];
	char *text = entry_text(id, s);
	FILE *f = NULL;
	int rc = -1;

	summary_cache_path(dir, id, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	if (!text) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (xmkdirs(dir, 0700) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (!(f = fopen(tmp, "wb"))) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fputs(text, f) == EOF || fclose(f) != 0) {
		f = NULL;
		snprintf(err, errlen, "%s: write failed", tmp);
		unlink(tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	free(text);
	return rc;
}
