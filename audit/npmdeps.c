/* npmdeps: npm dependencies from the user's registry only, checked before and after npm
 * resolves them. */
#include "audit/npmdeps.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "audit/depcache.h"
#include "audit/npmspec.h"
#include "audit/proc.h"
#include "audit/source.h"
#include "core/json_read.h"
#include "core/strbuf.h"
#include "core/term.h"
#include "core/vec.h"

#define MANIFEST_MAX ((size_t)4 << 20)
#define LOCKFILE_MAX ((size_t)64 << 20)
#define OVERRIDES_DEPTH_MAX 32
#define DEFAULT_REGISTRY "https://registry.npmjs.org/"
#define SET_ASIDE_SUFFIX ".mcpaudit-set-aside"

/* Files of the package npm would obey in its folder. */
static const char *const set_aside_files[] = {".npmrc", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
					      NULL};
static const char *const lockfiles[] = {"npm-shrinkwrap.json", "package-lock.json", NULL};

/* package.json sections whose values are specs npm resolves. */
static const char *const spec_sections[] = {"dependencies", "optionalDependencies", "peerDependencies",
					    "devDependencies", "resolutions", NULL};

/* Git may not connect anywhere, whatever npm tries. */
static const char *const git_env[] = {"GIT_SSH_COMMAND=false", "GIT_ALLOW_PROTOCOL=mcpaudit-none",
				      "GIT_TERMINAL_PROMPT=0", NULL};

/* The user's registry settings and the guard that keeps npm on them. */
struct npm_site {
	char *registry;               /* with a trailing '/' */
	VEC(char *) allowed;          /* URL prefixes a "resolved" may start with */
	struct strbuf hosts;          /* their host names, comma-separated: npm's noproxy */
	bool user_proxy;
	int guard_fd;                 /* bound, never listening: connections to it are refused */
	char *guard_arg[3];           /* --proxy=, --https-proxy=, --noproxy= */
	char *registry_arg;           /* --registry= */
};

struct npmdeps {
	const char *root;
	unsigned timeout_s;
	struct report *r;
	unsigned refused;             /* dependencies or entries refused so far */
	bool manifest_pruned;         /* package.json is set aside for one without devDependencies */
	unsigned set_aside_mask;      /* bit i: set_aside_files[i] was set aside (only those go back) */
	struct npm_site site;
};

/* ---- refusals ---- */

/* Record one refusal (listed while there are few). */
static int refuse(struct npmdeps *d, const char *file, const char *reason)
{
	d->refused++;
	if (d->refused > NPMDEPS_REPORTED_MAX)
		return 0;
	return report_add_incomplete(d->r, file, "%s", reason);
}

static int refuse_spec(struct npmdeps *d, const char *where, const char *name, const char *spec)
{
	char why[1024];

	snprintf(why, sizeof why, "dependencies not installed: %.60s \"%.200s\" is \"%.300s\": fetched from outside "
		 "the registry, and the install runs outside the sandbox", where, name, spec);
	return refuse(d, "package.json", why);
}

/* ---- 1. package.json ---- */

/* overrides: {"name": spec | {".": spec, "child": ...}}, keys may carry "@range". */
static int check_overrides(struct npmdeps *d, const cJSON *o, int depth)
{
	const cJSON *v;

	if (depth > OVERRIDES_DEPTH_MAX)
		return refuse_spec(d, "overrides", "(nested too deep)", "");
	cJSON_ArrayForEach(v, o) {
		int rc = 0;
		if (cJSON_IsObject(v))
			rc = check_overrides(d, v, depth + 1);
		else if (!cJSON_IsString(v) || !npmspec_on_registry(v->valuestring))
			rc = refuse_spec(d, "overrides", v->string, cJSON_IsString(v) ? v->valuestring : "(not a string)");
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int check_specs(struct npmdeps *d, const char *section, const cJSON *deps)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, deps)
		if ((!cJSON_IsString(v) || !npmspec_on_registry(v->valuestring)) &&
		    refuse_spec(d, section, v->string ? v->string : "", cJSON_IsString(v) ? v->valuestring : "(not a string)"))
			return -1;
	return 0;
}

/* bundleDependencies: names shipped inside the package (true: all of dependencies). */
static int check_bundle(struct npmdeps *d, const char *section, const cJSON *list)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, list)
		if (!cJSON_IsString(v) || !npmspec_name_valid(v->valuestring, strlen(v->valuestring))) {
			char why[512];
			snprintf(why, sizeof why, "dependencies not installed: %s names \"%.200s\", which is not a "
				 "package name (a path or URL outside the registry)", section,
				 cJSON_IsString(v) ? v->valuestring : "?");
			if (refuse(d, "package.json", why) != 0)
				return -1;
		}
	return 0;
}

/* workspaces: folders (globs) inside the package: npm links them, and resolves their deps. */
static int check_workspaces(struct npmdeps *d, const cJSON *w)
{
	const cJSON *list = cJSON_IsObject(w) ? cJSON_GetObjectItemCaseSensitive(w, "packages") : w, *v;

	cJSON_ArrayForEach(v, list) {
		const char *p = cJSON_GetStringValue(v);
		if ((!p || p[0] == '/' || p[0] == '~' || strstr(p, "..")) &&
		    refuse_spec(d, "workspaces", p ? p : "?", "a folder outside the package"))
			return -1;
	}
	return 0;
}

/* package.json as npm reads it (json_read: of a repeated key, the last one, which npm obeys);
 * every top-level member is looked at. */
static int check_manifest(struct npmdeps *d)
{
	size_t len = 0;
	char *path = xasprintf("%s/package.json", d->root), *text = path ? xreadfile(path, MANIFEST_MAX, &len) : NULL;
	cJSON *pkg = text ? json_read_tree(text, len, JSON_STRICT) : NULL;  /* as npm reads it */
	const cJSON *m;
	int rc = 0;

	if (!pkg) {
		rc = report_add_incomplete(d->r, "package.json", "dependencies not installed: package.json could not "
					   "be read as JSON");
		d->refused++;
	}
	cJSON_ArrayForEach(m, pkg) {
		const char *key = m->string ? m->string : "";
		for (const char *const *s = spec_sections; rc == 0 && *s; s++)
			if (!strcmp(key, *s))
				rc = check_specs(d, *s, m);
		if (rc == 0 && !strcmp(key, "overrides"))
			rc = check_overrides(d, m, 0);
		if (rc == 0 && (!strcmp(key, "bundleDependencies") || !strcmp(key, "bundledDependencies")))
			rc = check_bundle(d, key, m);
		if (rc == 0 && !strcmp(key, "workspaces"))
			rc = check_workspaces(d, m);
		if (rc != 0)
			break;
	}
	cJSON_Delete(pkg);
	free(text);
	free(path);
	return rc;
}

/* Exported for the fuzz harness and tests: step 1 alone, no npm run. */
int npmdeps_check_manifest(const char *root, struct report *r, unsigned *refused)
{
	struct npmdeps d = {.root = root, .r = r, .site.guard_fd = -1};
	int rc = check_manifest(&d);

	*refused = d.refused;
	return rc;
}

/* ---- lockfiles ---- */

static bool under_registry(const struct npm_site *s, const char *url)
{
	for (size_t i = 0; i < s->allowed.len; i++)
		if (!strncmp(url, s->allowed.items[i], strlen(s->allowed.items[i])))
			return true;
	return false;
}

/* A "packages" entry of a lockfile npm wrote: a link to a folder inside the package, a
 * dependency bundled in its parent's tarball, or a tarball under the registry. */
static bool entry_on_registry(const struct npm_site *s, const cJSON *e, const char **resolved)
{
	*resolved = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "resolved"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "link")))
		return *resolved && (*resolved)[0] != '/' && !strstr(*resolved, "..") && !strchr(*resolved, ':');
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "inBundle")) && !*resolved)
		return true;
	return *resolved && under_registry(s, *resolved);
}

/* Refuse each entry of npm's own lockfile (lockfileVersion 2 or 3) off the registry.
 * Returns 0, or -1 when memory ran out; d->refused counts. */
static int check_resolved_lock(struct npmdeps *d, const char *file, const char *text, size_t len, bool strict)
{
	cJSON *lock = json_read_tree(text, len, JSON_STRICT);  /* npm keeps the last "resolved" */
	const cJSON *packages = cJSON_GetObjectItemCaseSensitive(lock, "packages"), *e;
	int rc = 0;

	if (!cJSON_IsObject(packages) && strict) {
		d->refused++;
		rc = report_add_incomplete(d->r, file, "dependencies not installed: npm wrote a lockfile without "
					   "\"packages\", so where each dependency comes from cannot be checked");
	}
	cJSON_ArrayForEach(e, packages) {
		const char *resolved;
		if (!e->string || !e->string[0] || entry_on_registry(&d->site, e, &resolved))
			continue;
		if (!resolved && !strict)
			continue;  /* the package's own lockfile may leave out registry URLs */
		char why[1024];
		if (strict)
			snprintf(why, sizeof why, "dependencies not installed: %.300s resolves to \"%.300s\", outside "
				 "the registry", e->string, resolved ? resolved : "(nothing)");
		else
			snprintf(why, sizeof why, "not used for the install: it has %.300s resolved at \"%.300s\", "
				 "outside the registry (the dependencies were resolved from the registry instead)",
				 e->string, resolved);
		rc = refuse(d, file, why);
		if (rc != 0)
			break;
	}
	cJSON_Delete(lock);
	return rc;
}

/* yarn.lock: '  resolved "URL"' lines. */
static int check_yarn_lock(struct npmdeps *d, const char *text)
{
	int rc = 0;

	for (const char *p = text; rc == 0 && (p = strstr(p, "resolved \"")); p++) {
		char url[512], why[1024];
		size_t n = strcspn(p + 10, "\"\n");
		snprintf(url, sizeof url, "%.*s", (int)(n < sizeof url ? n : sizeof url - 1), p + 10);
		snprintf(why, sizeof why, "not used for the install: it has \"%.300s\" resolved outside the registry "
			 "(the dependencies were resolved from the registry instead)", url);
		if (!under_registry(&d->site, url))
			rc = refuse(d, "yarn.lock", why);
	}
	return rc;
}

/* The package's own lockfiles are not used; say which URLs they would have fetched. */
static int report_own_lockfiles(struct npmdeps *d)
{
	static const char *const own[] = {"npm-shrinkwrap.json", "package-lock.json", "yarn.lock", NULL};
	unsigned before = d->refused;
	int rc = 0;

	for (const char *const *f = own; rc == 0 && *f; f++) {
		size_t len = 0;
		char *path = xasprintf("%s/%s", d->root, *f), *text = path ? xreadfile(path, LOCKFILE_MAX, &len) : NULL;
		if (text)
			rc = strcmp(*f, "yarn.lock") ? check_resolved_lock(d, *f, text, len, false) : check_yarn_lock(d, text);
		free(text);
		free(path);
	}
	d->refused = before;  /* noted, not a reason to stop: the install does not use them */
	return rc;
}

/* ---- 2. set aside what npm would obey ---- */

static void move(const char *root, const char *from_name, const char *from_suffix, const char *to_name,
		 const char *to_suffix)
{
	char *from = xasprintf("%s/%s%s", root, from_name, from_suffix), *to = xasprintf("%s/%s%s", root, to_name, to_suffix);

	if (from && to)
		rename(from, to);
	free(from);
	free(to);
}

static int set_aside(struct npmdeps *d)
{
	for (const char *const *f = set_aside_files; *f; f++) {
		unsigned bit = 1u << (f - set_aside_files);
		char *path = xasprintf("%s/%s", d->root, *f);
		struct stat st;
		bool there = path && lstat(path, &st) == 0;
		free(path);
		if (!there)
			continue;
		move(d->root, *f, "", *f, SET_ASIDE_SUFFIX);
		d->set_aside_mask |= bit;
		if (!strcmp(*f, ".npmrc") &&
		    report_add_incomplete(d->r, ".npmrc", "the package's own npm configuration was not used to install "
					  "its dependencies (it could point npm at another registry or program); look "
					  "at it") != 0)
			return -1;
	}
	return 0;
}

/* The package.json npm resolves: the package's own without devDependencies, which a user
 * who installs the package never gets (npm resolves them for the package's own developers
 * only). Resolving them cost most of the install's time (237 entries instead of 98 for
 * server-memory) and could only move the tree away from the one a user gets. The original
 * is set aside and put back by restore. */
static int prune_dev_dependencies(struct npmdeps *d)
{
	size_t len = 0;
	char *path = xasprintf("%s/package.json", d->root), *text = path ? xreadfile(path, MANIFEST_MAX, &len) : NULL;
	cJSON *pkg = text ? json_read_tree(text, len, JSON_STRICT) : NULL;  /* as npm reads it */
	char *pruned = NULL;
	int rc = 0, fd = -1;

	if (!cJSON_GetObjectItemCaseSensitive(pkg, "devDependencies"))
		goto out;  /* nothing to drop (an unreadable one was refused in step 1) */
	while (cJSON_GetObjectItemCaseSensitive(pkg, "devDependencies"))
		cJSON_DeleteItemFromObjectCaseSensitive(pkg, "devDependencies");
	if (!(pruned = cJSON_Print(pkg))) {
		rc = -1;
		goto out;
	}
	move(d->root, "package.json", "", "package.json", SET_ASIDE_SUFFIX);
	d->manifest_pruned = true;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || xwrite_all(fd, pruned, strlen(pruned)) != 0)
		rc = report_add_incomplete(d->r, "package.json", "dependencies not installed: the manifest to resolve "
					   "could not be written: %s", strerror(errno)) ? -1 : 1;
out:
	if (fd >= 0)
		close(fd);
	free(pruned);
	cJSON_Delete(pkg);
	free(text);
	free(path);
	return rc;
}

/* Puts back what set_aside and prune_dev_dependencies moved, and only that: a file the
 * package shipped under a set-aside name (".npmrc.mcpaudit-set-aside") stays as it is, or
 * it would become the .npmrc (or lockfile) of the server that is then run. */
static void restore(const char *root, unsigned set_aside_mask, bool manifest_pruned)
{
	for (const char *const *f = lockfiles; *f; f++) {
		char *path = xasprintf("%s/%s", root, *f);
		if (path)
			unlink(path);  /* the one npm wrote */
		free(path);
	}
	for (const char *const *f = set_aside_files; *f; f++)
		if (set_aside_mask & (1u << (f - set_aside_files)))
			move(root, *f, SET_ASIDE_SUFFIX, *f, "");
	if (manifest_pruned)
		move(root, "package.json", SET_ASIDE_SUFFIX, "package.json", "");  /* over the pruned one */
}

/* ---- 3. the user's registry, and the guard ---- */

/* "https://host:port/path/" -> "host" appended to the noproxy list. */
static void add_host(struct strbuf *hosts, const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (!h)
		return;
	h += 3;
	n = strcspn(h, ":/");
	if (n)
		strbuf_printf(hosts, "%s%.*s", hosts->len ? "," : "", (int)n, h);
}

static int allow(struct npm_site *s, const char *url)
{
	size_t n = strlen(url);
	char *copy;

	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return 0;
	copy = xasprintf("%s%s", url, n && url[n - 1] == '/' ? "" : "/");
	if (!copy || vec_push(&s->allowed, copy) != 0) {
		free(copy);
		return -1;
	}
	add_host(&s->hosts, copy);
	return 0;
}

static bool env_proxy(void)
{
	static const char *const names[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "proxy", NULL};

	for (const char *const *n = names; *n; n++)
		if (getenv(*n) && *getenv(*n))
			return true;
	return false;
}

/* `npm config list --json` in an empty folder: the user's and the machine's settings, none
 * of the package's. */
static int read_user_config(struct npmdeps *d, const char *empty)
{
	const char *argv[] = {"npm", "config", "list", "--json", NULL};
	struct proc_result pr;
	char err[256];
	cJSON *conf = NULL;
	const cJSON *v;
	const char *registry;
	int rc = 0;

	if (proc_run(argv, empty, d->timeout_s, &pr, err, sizeof err) == 0 && pr.status == 0)
		conf = cJSON_Parse(pr.out);
	registry = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(conf, "registry"));
	if (!registry || (strncmp(registry, "https://", 8) && strncmp(registry, "http://", 7)))
		registry = DEFAULT_REGISTRY;
	d->site.user_proxy = env_proxy();
	rc = allow(&d->site, registry);
	cJSON_ArrayForEach(v, conf) {
		size_t n = v->string ? strlen(v->string) : 0;
		if (rc == 0 && n > 9 && v->string[0] == '@' && !strcmp(v->string + n - 9, ":registry") &&
		    cJSON_IsString(v))
			rc = allow(&d->site, v->valuestring);  /* a scope's registry the user chose */
		if (v->string && (!strcmp(v->string, "proxy") || !strcmp(v->string, "https-proxy")) &&
		    cJSON_IsString(v) && v->valuestring[0])
			d->site.user_proxy = true;
	}
	if (rc == 0 && d->site.allowed.len)
		d->site.registry_arg = xasprintf("--registry=%s", d->site.allowed.items[0]);
	cJSON_Delete(conf);
	proc_result_free(&pr);
	return rc == 0 && d->site.registry_arg ? 0 : -1;
}

/* A loopback port bound but never listened on: npm's proxy for every other host. */
static int make_guard(struct npm_site *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	s->guard_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->guard_fd < 0 || bind(s->guard_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s->guard_fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	s->guard_arg[0] = xasprintf("--proxy=http://127.0.0.1:%u", ntohs(a.sin_port));
	s->guard_arg[1] = xasprintf("--https-proxy=http://127.0.0.1:%u", ntohs(a.sin_port));
	s->guard_arg[2] = xasprintf("--noproxy=%s", strbuf_str(&s->hosts));
	return s->guard_arg[0] && s->guard_arg[1] && s->guard_arg[2] ? 0 : -1;
}

static void site_free(struct npm_site *s)
{
	for (size_t i = 0; i < s->allowed.len; i++)
		free(s->allowed.items[i]);
	vec_free(&s->allowed);
	strbuf_free(&s->hosts);
	if (s->guard_fd >= 0)
		close(s->guard_fd);
	for (int i = 0; i < 3; i++)
		free(s->guard_arg[i]);
	free(s->registry_arg);
}

/* ---- 4, 5. npm ---- */

/* npm's reason in its own words: the URL it could not fetch ("request to URL failed"), the
 * allow-* refusal, or its last line. */
static const char *npm_reason(const struct proc_result *pr, char *buf, size_t len)
{
	const char *text = pr->err_text ? pr->err_text : "";
	const char *req = strstr(text, "request to "), *by = strstr(text, "requiredBy: '");
	const char *allow_err = strstr(text, "have been disabled"), *git = strstr(text, "npm error command false ");

	if (req) {
		int n = (int)strcspn(req, "\n");
		int m = by ? (int)strcspn(by + 13, "'\n") : 0;
		snprintf(buf, len, "%.*s%s%.*s%s (a place outside the registry: refused)", n, req,
			 by ? " (required by " : "", m, by ? by + 13 : "", by ? ")" : "");
		return buf;
	}
	if (git) {
		/* "command false ... ls-remote ssh://...": npm wanted git (which is "false" here) */
		const char *url = strstr(git, "ls-remote ");
		snprintf(buf, len, "a dependency of a dependency is a git repository (%.*s): refused, git is not "
			 "run for the install", url ? (int)strcspn(url + 10, "\n") : (int)strcspn(git, "\n"),
			 url ? url + 10 : git);
		return buf;
	}
	if (allow_err) {
		const char *start = allow_err;
		while (start > text && start[-1] != '\n')
			start--;
		snprintf(buf, len, "%.*s (a dependency of a dependency is outside the registry: refused)",
			 (int)strcspn(start, "\n"), start);
		return buf;
	}
	return pr->timed_out ? "timed out" : pr->err_tail;
}

/* Run npm VERB with the fixed safety options. Returns 0 on success, 1 when npm failed
 * (reported), -1. */
static int run_npm(struct npmdeps *d, const char *const *verb, size_t nverb)
{
	const char *fixed[] = {"--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "--git=false",
			       "--fetch-retries=0", d->site.registry_arg};
	const char *guard_user_proxy[] = {"--allow-git=none", "--allow-remote=none", "--allow-file=none"};
	const char *argv[32];
	size_t n = 0;
	struct proc_result pr;
	char err[512], why[1024];
	int rc = 0;

	argv[n++] = "npm";
	for (size_t i = 0; i < nverb; i++)
		argv[n++] = verb[i];
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		argv[n++] = fixed[i];
	for (size_t i = 0; i < 3; i++)
		argv[n++] = d->site.user_proxy ? guard_user_proxy[i] : d->site.guard_arg[i];
	argv[n] = NULL;
	if (proc_run_env(argv, git_env, d->root, d->timeout_s, &pr, err, sizeof err) != 0)
		rc = report_add_incomplete(d->r, "package.json", "dependencies not installed: %s", err) ? -1 : 1;
	else if (pr.status != 0)
		rc = report_add_incomplete(d->r, "package.json", "dependencies not installed: npm %s failed: %s",
					   verb[0], npm_reason(&pr, why, sizeof why)) ? -1 : 1;
	proc_result_free(&pr);
	return rc;
}

/* npm ci of the checked lockfile, or the tree an earlier `npm ci` of the very same lockfile
 * installed, from the cache (audit/depcache.h; MCPAUDIT_NO_DEPS_CACHE=1: never). Returns 0
 * (a failure is an incomplete entry), or -1 when memory ran out. */
static int install_tree(struct npmdeps *d, const char *lock, size_t len)
{
	static const char *const install[] = {"ci", "--omit=dev"};
	const char *off = getenv("MCPAUDIT_NO_DEPS_CACHE");
	char dir[4096], key[DEPCACHE_KEY_LEN + 1], why[512];
	bool cached = !(off && *off && strcmp(off, "0")) && depcache_dir(dir, sizeof dir);
	int rc;

	if (cached) {
		depcache_key(lock, len, key);
		if ((rc = depcache_restore(dir, key, d->root, why, sizeof why)) != 0)
			return rc < 0 ? -1 : 0;
		if (why[0])
			term_printf(stderr, "mcpaudit: the cached dependency tree %.16s was not used (%s): installing "
				    "it again\n", key, why);
	}
	if ((rc = run_npm(d, install, sizeof install / sizeof *install)) != 0)
		return rc < 0 ? -1 : 0;
	/* now, before any of the package's code has run: nothing it writes can reach the entry */
	if (cached && depcache_store(dir, key, d->root, why, sizeof why) != 0)
		term_printf(stderr, "mcpaudit: the dependency tree was not cached: %s\n", why);
	return 0;
}

/* Resolve, check the tree npm chose, then install exactly it. */
static int resolve_and_install(struct npmdeps *d)
{
	static const char *const resolve[] = {"install", "--package-lock-only", "--omit-lockfile-registry-resolved=false"};
	/* No --prefer-offline anywhere: npm ci already takes integrity-pinned tarballs from its
	 * cache without asking (measured: no request), and the resolve step must ask, as a
	 * cached packument may predate a release. */
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int rc = run_npm(d, resolve, sizeof resolve / sizeof *resolve);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	path = xasprintf("%s/package-lock.json", d->root);
	text = path ? xreadfile(path, LOCKFILE_MAX, &len) : NULL;
	if (!text)
		rc = report_add_incomplete(d->r, "package.json", "dependencies not installed: npm wrote no lockfile to "
					   "check");
	else if ((rc = check_resolved_lock(d, "package-lock.json", text, len, true)) == 0 && d->refused == 0)
		rc = install_tree(d, text, len);
	free(text);
	free(path);
	return rc;
}

static int prepare_site(struct npmdeps *d)
{
	const char *tmp = getenv("TMPDIR");
	/* outside the package: npm takes the nearest folder with a package.json as the project
	 * and would read its .npmrc */
	char *empty = xasprintf("%s/mcpaudit-npm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int rc;

	if (!empty || !mkdtemp(empty)) {
		free(empty);
		return report_add_incomplete(d->r, "package.json", "dependencies not installed: no private folder: %s",
					     strerror(errno)) ? -1 : 1;
	}
	rc = read_user_config(d, empty);
	rmdir(empty);
	free(empty);
	if (rc == 0 && !d->site.user_proxy)
		rc = make_guard(&d->site);
	if (rc != 0)
		return report_add_incomplete(d->r, "package.json", "dependencies not installed: npm's registry "
					     "settings could not be read") ? -1 : 1;
	return 0;
}

int npmdeps_install(const char *root, unsigned timeout_s, struct report *r)
{
	struct npmdeps d = {.root = root, .timeout_s = timeout_s, .r = r, .site = {.guard_fd = -1}};
	int rc;

	d.site.hosts = (struct strbuf)STRBUF_INIT(4096);
	if ((rc = check_manifest(&d)) != 0 || d.refused)
		goto out;
	if ((rc = prepare_site(&d)) != 0 || (rc = report_own_lockfiles(&d)) != 0)
		goto out;
	if ((rc = set_aside(&d)) == 0 && (rc = prune_dev_dependencies(&d)) == 0)
		rc = resolve_and_install(&d);
	restore(root, d.set_aside_mask, d.manifest_pruned);
out:
	if (rc == 0 && d.refused > NPMDEPS_REPORTED_MAX)
		rc = report_add_incomplete(r, "package.json", "dependencies not installed: %u more refused",
					   d.refused - NPMDEPS_REPORTED_MAX);
	site_free(&d.site);
	return rc < 0 ? -1 : 0;
}
