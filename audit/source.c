/* source: a target -> a package folder on this machine, with none of its code run. */
#include "audit/source.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "analyzer/summary_cache.h"

#include "audit/npmspec.h"
#include "audit/proc.h"
#include "core/strbuf.h"

#define DEFAULT_TIMEOUT 120
/* npm retries a failed fetch (a tarball that fails its integrity check too) after 10 s,
 * then 60 s: a refusal should not take minutes */
#define NPM_RETRY_MIN "--fetch-retry-mintimeout=2000"
#define NPM_RETRY_MAX "--fetch-retry-maxtimeout=8000"

static unsigned timeout_of(const struct source_options *o)
{
	return o && o->timeout_s ? o->timeout_s : DEFAULT_TIMEOUT;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_archive_name(const char *path)
{
	static const char *const suffixes[] = {".tgz", ".tar.gz", ".tar", ".zip", ".whl", ".tar.bz2",
					       ".tar.xz", ".crate", NULL};

	for (const char *const *s = suffixes; *s; s++)
		if (has_suffix(path, *s))
			return true;
	return false;
}

bool source_is_package(const char *spec)
{
	struct stat st;

	if (!strncmp(spec, "npm:", 4) || !strncmp(spec, "pypi:", 5))
		return true;
	if (stat(spec, &st) != 0)
		return false;
	return S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && is_archive_name(spec));
}

/* ---- names: what reaches npm's and pip's command lines ---- */

/* A version, range or tag: printable, no white space, not an option. */
static bool valid_version(const char *s)
{
	if (!*s || *s == '-' || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".+-_~^<>=*!", *s))
			return false;
	return true;
}

/* "NAME" or "NAME@VERSION" (the scope's '@' is not a version separator). */
static int split_npm(const char *spec, char **name, char **version)
{
	const char *at = strchr(spec + (spec[0] == '@'), '@');
	size_t n = at ? (size_t)(at - spec) : strlen(spec);

	if (!npmspec_name_valid(spec, n) || (at && !valid_version(at + 1)))
		return -1;
	*name = xstrndup(spec, n);
	*version = at ? xstrdup(at + 1) : NULL;
	return 0;
}

static int split_pypi(const char *spec, char **name, char **version)
{
	const char *eq = strstr(spec, "==");
	size_t n = eq ? (size_t)(eq - spec) : strlen(spec);

	if (n == 0 || n > 200 || !isalnum((unsigned char)spec[0]) || (eq && !valid_version(eq + 2)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)spec[i]) && !strchr("-._", spec[i]))
			return -1;
	*name = xstrndup(spec, n);
	*version = eq ? xstrdup(eq + 2) : NULL;
	return 0;
}

/* ---- the private folder ---- */

static int make_workdir(struct audit_source *s, const struct source_options *o, char *err, size_t errlen)
{
	const char *tmp = o && o->tmp ? o->tmp : getenv("TMPDIR");
	char *path = xasprintf("%s/mcpaudit-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!path || !mkdtemp(path)) {
		snprintf(err, errlen, "cannot make a private folder in %s: %s", tmp && *tmp ? tmp : "/tmp",
			 strerror(errno));
		free(path);
		return -1;
	}
	s->workdir = path;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT) {
		/* a folder the package made read-only: open it up and try once more */
		chmod(path, 0700);
		return remove(path) != 0 && errno != ENOENT;
	}
	return 0;
}

/* Folders first made writable, so a read-only folder inside does not stop the removal. */
static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && !S_ISLNK(st->st_mode))
		chmod(path, 0700);
	return 0;
}

int source_remove_tree(const char *path)
{
	nftw(path, open_up, 32, FTW_PHYS);
	return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* ---- archives ---- */

/* npm tarballs hold one folder (package/), sdists name-version/: that folder is the root. */
static char *single_folder(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *only = NULL;
	int count = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++count == 1)
			only = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (count == 1 && only) {
		struct stat st;
		if (lstat(only, &st) == 0 && S_ISDIR(st.st_mode))
			return only;
	}
	free(only);
	return xstrdup(dir);
}

static int unpack_into_workdir(struct audit_source *s, char *err, size_t errlen)
{
	char *dest = xasprintf("%s/unpacked", s->workdir);
	int rc = -1;

	if (!dest || mkdir(dest, 0700) != 0) {
		snprintf(err, errlen, "cannot make %s: %s", dest ? dest : "a folder", strerror(errno));
		goto out;
	}
	if (archive_unpack(s->archive, dest, NULL, &s->unpacked, err, errlen) != 0)
		goto out;
	s->root = single_folder(dest);
	rc = s->root ? 0 : -1;
out:
	free(dest);
	return rc;
}

/* ---- npm ---- */

/* "sha512-<base64>" of a SHA-512 digest, as npm's dist.integrity writes it (W3C SRI). */
static char *sri_of(const uint8_t digest[SHA512_DIGEST_SIZE])
{
	char b64[BASE64_ENCODE_RAW_LENGTH(SHA512_DIGEST_SIZE) + 1];

	base64_encode_raw(b64, SHA512_DIGEST_SIZE, digest);
	b64[sizeof b64 - 1] = '\0';
	return xasprintf("sha512-%s", b64);
}

/* The file's SHA-512 as an SRI string, computed here (nettle): no helper program is run on
 * the download. NULL with err set when it cannot be read. */
static char *sha512_sri(const char *path, char *err, size_t errlen)
{
	struct sha512_ctx ctx;
	uint8_t buf[1 << 16], digest[SHA512_DIGEST_SIZE];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	sha512_init(&ctx);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha512_update(&ctx, n, buf);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	fclose(f);
	sha512_digest(&ctx, sizeof digest, digest);
	return sri_of(digest);
}

/* npm's own words for a failure: its error code and the first line after it that says
 * something ("404 Not Found - GET https://..."), not the log file's name at the end. */
static void npm_failed(const char *what, const char *spec, const struct proc_result *pr, char *err,
		       size_t errlen)
{
	const char *text = pr->err_text ? pr->err_text : "";
	const char *code = strstr(text, "npm error code ");
	const char *line = code ? strchr(code, '\n') : NULL;
	int code_len = code ? (int)strcspn(code + 15, "\n") : 0;
	int line_len;

	if (pr->timed_out) {
		snprintf(err, errlen, "npm:%s: %s timed out (is the registry reachable?)", spec, what);
		return;
	}
	if (line && !strncmp(line + 1, "npm error ", 10)) {
		line += 11;
		line_len = (int)strcspn(line, "\n");
		snprintf(err, errlen, "npm:%s: %s failed: %.*s: %.*s", spec, what, code_len, code + 15, line_len, line);
		return;
	}
	snprintf(err, errlen, "npm:%s: %s failed: %s", spec, what, pr->err_tail[0] ? pr->err_tail : "no message");
}

/* The registry's metadata in the shape the metadata checks read (a packument's "time",
 * "versions" and "dist-tags"), from `npm view NAME@VERSION --json`. */
static cJSON *packument_from_view(const cJSON *view)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *time = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(view, "time"), 1);
	cJSON *versions = cJSON_AddObjectToObject(doc, "versions");
	const cJSON *v, *list = cJSON_GetObjectItemCaseSensitive(view, "versions");
	const char *created = NULL;

	if (!doc || !versions || !cJSON_IsObject(time)) {
		cJSON_Delete(time);
		cJSON_Delete(doc);
		return NULL;
	}
	cJSON_ArrayForEach(v, list)
		if (cJSON_IsString(v))
			cJSON_AddObjectToObject(versions, v->valuestring);
	/* some registries leave out "created": the earliest publication is the same thing */
	if (!cJSON_GetObjectItemCaseSensitive(time, "created")) {
		cJSON_ArrayForEach(v, time)
			if (cJSON_IsString(v) && strcmp(v->string, "modified") &&
			    (!created || strcmp(v->valuestring, created) < 0))
				created = v->valuestring;
		if (created)
			cJSON_AddStringToObject(time, "created", created);
	}
	cJSON_AddItemToObject(doc, "time", time);
	cJSON_AddItemToObject(doc, "dist-tags",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(view, "dist-tags"), 1));
	cJSON_AddStringToObject(doc, "name", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(view, "name")) ?
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(view, "name")) : "");
	return doc;
}

/* npm view: the version a tag or range resolves to, its integrity and the package's history. */
static int npm_view(struct audit_source *s, const char *spec, const struct source_options *o, char *err,
		    size_t errlen)
{
	const char *argv[] = {"npm", "view", "--json", NPM_RETRY_MIN, NPM_RETRY_MAX, spec, NULL};
	struct proc_result pr;
	cJSON *doc = NULL;
	const cJSON *view;
	int rc = -1;

	if (proc_run(argv, s->workdir, timeout_of(o), &pr, err, errlen) != 0)
		goto out;
	if (pr.status != 0) {
		npm_failed("npm view", spec, &pr, err, errlen);
		goto out;
	}
	doc = cJSON_Parse(pr.out);
	/* a range matching several versions gives a list, oldest first: take the newest */
	view = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, cJSON_GetArraySize(doc) - 1) : doc;
	if (!cJSON_IsObject(view)) {
		snprintf(err, errlen, "npm:%s: no such version on the registry", spec);
		goto out;
	}
	s->version = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(view, "version")));
	s->integrity = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(view, "dist"), "integrity")));
	s->registry = packument_from_view(view);
	if (!s->version || !s->registry) {
		snprintf(err, errlen, "npm:%s: the registry's metadata has no version or history", spec);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	proc_result_free(&pr);
	return rc;
}

static int npm_pack(struct audit_source *s, const struct source_options *o, char *err, size_t errlen)
{
	/* the version is the registry's answer: it too must not be a URL or a path to npm pack */
	char *exact = valid_version(s->version) ? xasprintf("%s@%s", s->name, s->version) : NULL;
	const char *argv[] = {"npm", "pack", "--json", "--ignore-scripts", NPM_RETRY_MIN, NPM_RETRY_MAX,
			      "--pack-destination", s->workdir, exact, NULL};
	struct proc_result pr = {0};
	cJSON *doc = NULL;
	const char *file;
	int rc = -1;

	if (!exact) {
		snprintf(err, errlen, "npm:%s: the registry's version \"%.100s\" is not a version", s->name, s->version);
		goto out;
	}
	if (proc_run(argv, s->workdir, timeout_of(o), &pr, err, errlen) != 0)
		goto out;
	if (pr.status != 0) {
		npm_failed("npm pack", exact, &pr, err, errlen);
		goto out;
	}
	doc = cJSON_Parse(pr.out);
	file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(doc, 0), "filename"));
	if (!file || strchr(file, '/') || file[0] == '.') {
		snprintf(err, errlen, "npm:%s: npm pack did not say which file it wrote", exact);
		goto out;
	}
	s->archive = xasprintf("%s/%s", s->workdir, file);
	rc = s->archive ? 0 : -1;
out:
	cJSON_Delete(doc);
	proc_result_free(&pr);
	free(exact);
	return rc;
}

/* The tarball npm wrote must be the one the registry's metadata describes. */
static int verify_integrity(struct audit_source *s, const struct source_options *o, char *err, size_t errlen)
{
	char *mine;
	int rc = -1;

	if (!s->integrity || strncmp(s->integrity, "sha512-", 7) != 0) {
		snprintf(err, errlen, "npm:%s@%s: the registry publishes no SHA-512 integrity for it "
			 "(only a SHA-1 shasum, from before 2017), so the tarball cannot be verified",
			 s->name, s->version);
		return -1;
	}
	if (!(mine = sha512_sri(s->archive, err, errlen)))
		return -1;
	if (strcmp(mine, s->integrity) != 0)
		snprintf(err, errlen, "npm:%s@%s: the tarball's digest %s is not the registry's integrity %s: "
			 "refusing a package that is not what was published", s->name, s->version, mine,
			 s->integrity);
	else
		rc = 0;
	free(mine);
	return rc;
}

/* ---- verified tarballs, kept by their integrity ---- */

/* Where an earlier audit kept the tarball of this integrity: the cache's "tarballs" folder,
 * the file named by the SHA-256 of the integrity string (its base64 holds '/'). Only a
 * "sha512-" integrity is kept or looked for. False when there is no such name. */
static bool kept_path(const char *integrity, char *dir, size_t dircap, char *out, size_t cap)
{
	struct sha256_ctx sha;
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1];

	if (!integrity || strncmp(integrity, "sha512-", 7) || !cache_dir_named("tarballs", dir, dircap))
		return false;
	sha256_init(&sha);
	sha256_update(&sha, strlen(integrity), (const uint8_t *)integrity);
	sha256_digest(&sha, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return snprintf(out, cap, "%s/%s.tgz", dir, hex) < (int)cap;
}

/* to gets from's bytes: a hard link where both are on one file system (neither
 * is ever written: the tarball is only read, to check and unpack it), else a read-only copy. */
static int place_file(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n = -1;
	int in, out, rc = -1;

	if (link(from, to) == 0)
		return 0;
	in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
	if (in >= 0 && out >= 0)
		while ((n = read(in, buf, sizeof buf)) > 0 && xwrite_all(out, buf, (size_t)n) == 0)
			;
	rc = n == 0 ? 0 : -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (rc != 0 && out >= 0)
		unlink(to);
	return rc;
}

/* The kept tarball, checked like a download: one that fails the registry's integrity is
 * deleted (it is fetched again). True when s->archive is a checked tarball. */
static bool take_kept(struct audit_source *s, const struct source_options *o)
{
	char dir[4096], kept[4200], err[512];

	if (!kept_path(s->integrity, dir, sizeof dir, kept, sizeof kept) || access(kept, F_OK) != 0 ||
	    !(s->archive = xasprintf("%s/kept.tgz", s->workdir)))
		return false;
	if (place_file(kept, s->archive) == 0 && verify_integrity(s, o, err, sizeof err) == 0)
		return true;
	unlink(kept);
	unlink(s->archive);
	free(s->archive);
	s->archive = NULL;
	return false;
}

/* Keep the checked tarball for the next audit of the same version (renamed into place
 * whole: a reader never sees half of one). Nothing is kept when that fails. */
static void keep(const struct audit_source *s)
{
	char dir[4096], kept[4200], tmp[4300];

	if (!kept_path(s->integrity, dir, sizeof dir, kept, sizeof kept) || xmkdirs(dir, 0700) != 0 ||
	    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", kept, (long)getpid()) >= (int)sizeof tmp)
		return;
	if (place_file(s->archive, tmp) == 0)
		rename(tmp, kept);
	unlink(tmp);
}

static int fetch_npm(struct audit_source *s, const char *spec, const struct source_options *o, char *err,
		     size_t errlen)
{
	char *version = NULL;
	int rc = -1;

	if (split_npm(spec, &s->name, &version) != 0) {
		snprintf(err, errlen, "npm:%s: not an npm package name, optionally with @VERSION", spec);
		return -1;
	}
	/* npm pack only copies the tarball out of npm's cache on a second audit, but it is one
	 * more Node start (about 0.45 s of CPU): a tarball this integrity names, kept by an
	 * earlier audit and checked again, is the same bytes */
	if (npm_view(s, spec, o, err, errlen) != 0)
		goto out;
	if (!take_kept(s, o)) {
		if (npm_pack(s, o, err, errlen) != 0 || verify_integrity(s, o, err, errlen) != 0)
			goto out;
		keep(s);
	}
	rc = unpack_into_workdir(s, err, errlen);
out:
	free(version);
	return rc;
}

/* ---- PyPI ---- */

/* The one file pip downloaded into dir. */
static char *only_file(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;

	if (!d)
		return NULL;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && is_archive_name(e->d_name) && !found)
			found = xasprintf("%s/%s", dir, e->d_name);
	closedir(d);
	return found;
}

static int fetch_pypi(struct audit_source *s, const char *spec, const struct source_options *o, char *err,
		      size_t errlen)
{
	char *version = NULL, *req = NULL, *dest = NULL;
	struct proc_result pr = {0};
	int rc = -1;

	if (split_pypi(spec, &s->name, &version) != 0) {
		snprintf(err, errlen, "pypi:%s: not a PyPI project name, optionally with ==VERSION", spec);
		return -1;
	}
	req = version ? xasprintf("%s==%s", s->name, version) : xstrdup(s->name);
	dest = xasprintf("%s/download", s->workdir);
	if (!req || !dest || mkdir(dest, 0700) != 0)
		goto out;
	{
		/* A wheel only: to download an sdist pip prepares its metadata, which runs the
		 * package's setup.py or build backend here, outside the sandbox. */
		const char *argv[] = {"python3", "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
				      "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout",
				      "15", "-d", dest, req, NULL};
		if (proc_run(argv, s->workdir, timeout_of(o), &pr, err, errlen) != 0)
			goto out;
	}
	if (pr.status != 0 || !(s->archive = only_file(dest))) {
		snprintf(err, errlen, "pypi:%s: pip could not download a wheel of it (%s). Is a package index "
			 "reachable? (An sdist is not fetched: pip would run its build code to read it.) Otherwise "
			 "download the wheel or sdist yourself and audit the file: mcpaudit audit "
			 "./%s-VERSION.tar.gz", spec,
			 pr.timed_out ? "timed out" : pr.err_tail && pr.err_tail[0] ? pr.err_tail : "no message",
			 s->name);
		goto out;
	}
	s->version = version ? xstrdup(version) : NULL;
	rc = unpack_into_workdir(s, err, errlen);
out:
	proc_result_free(&pr);
	free(version);
	free(req);
	free(dest);
	return rc;
}

/* ---- the entry points ---- */

int source_fetch(const char *spec, const struct source_options *o, struct audit_source *out, char *err,
		 size_t errlen)
{
	struct stat st;

	out->spec = xstrdup(spec);
	if (!strncmp(spec, "npm:", 4)) {
		out->kind = SRC_NPM;
		return make_workdir(out, o, err, errlen) == 0 ? fetch_npm(out, spec + 4, o, err, errlen) : -1;
	}
	if (!strncmp(spec, "pypi:", 5)) {
		out->kind = SRC_PYPI;
		return make_workdir(out, o, err, errlen) == 0 ? fetch_pypi(out, spec + 5, o, err, errlen) : -1;
	}
	if (stat(spec, &st) != 0) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		out->kind = SRC_FOLDER;
		out->root = realpath(spec, NULL);
		out->origin = xstrdup(out->root);
		if (!out->root)
			snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		return out->root ? 0 : -1;
	}
	if (!S_ISREG(st.st_mode) || !is_archive_name(spec)) {
		snprintf(err, errlen, "%s: not a folder, a package archive (.tgz, .tar.gz, .zip, .whl) or a "
			 "client configuration", spec);
		return -1;
	}
	out->kind = SRC_ARCHIVE;
	out->archive = realpath(spec, NULL);
	if (!out->archive) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		return -1;
	}
	return make_workdir(out, o, err, errlen) == 0 ? unpack_into_workdir(out, err, errlen) : -1;
}

int source_make_private(struct audit_source *s, const struct source_options *o, char *err, size_t errlen)
{
	char *copy;
	struct proc_result pr;
	int rc = -1;

	if (s->workdir)
		return 0;  /* unpacked into our own folder already */
	if (make_workdir(s, o, err, errlen) != 0)
		return -1;
	copy = xasprintf("%s/package", s->workdir);
	{
		const char *argv[] = {"cp", "-R", "--no-dereference", "--preserve=mode", "--", s->root, copy, NULL};
		if (!copy || proc_run(argv, NULL, timeout_of(o), &pr, err, errlen) != 0)
			goto out;
	}
	if (pr.status != 0)
		snprintf(err, errlen, "cannot copy %s to a private folder: %s", s->root, pr.err_tail);
	else {
		free(s->root);
		s->root = copy;
		copy = NULL;
		rc = 0;
	}
	proc_result_free(&pr);
out:
	free(copy);
	return rc;
}

void source_free(struct audit_source *s)
{
	if (s->workdir)
		source_remove_tree(s->workdir);
	free(s->workdir);
	free(s->spec);
	free(s->root);
	free(s->origin);
	free(s->archive);
	free(s->name);
	free(s->version);
	free(s->integrity);
	cJSON_Delete(s->registry);
	unpack_result_free(&s->unpacked);
	memset(s, 0, sizeof *s);
}
