/* deps: dependencies installed with scripts disabled. */
#include "audit/deps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "audit/launch.h"
#include "audit/proc.h"
#include "core/strbuf.h"

#define DEPS_MANIFEST_MAX (4 << 20)

static bool exists(const char *root, const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel);
	struct stat st;
	bool ok = p && stat(p, &st) == 0;

	free(p);
	return ok;
}

/* A package's own .npmrc is npm's project configuration when npm runs in its folder: it
 * could name another registry, or a "git" program npm would run here to fetch a git
 * dependency. It is set aside before the install (the sandboxed run still sees it). */
static int set_aside_npmrc(const char *root, struct report *r)
{
	char *from = xasprintf("%s/.npmrc", root), *to = xasprintf("%s/.npmrc.mcpaudit-set-aside", root);
	struct stat st;
	int rc = 0;

	if (!from || !to)
		rc = -1;
	else if (lstat(from, &st) == 0) {
		if (rename(from, to) != 0)
			rc = -1;
		else
			rc = report_add_incomplete(r, ".npmrc", "the package's own npm configuration was not used to "
						   "install its dependencies (it could point npm at another registry "
						   "or program); look at it");
	}
	free(from);
	free(to);
	return rc;
}

static void restore_npmrc(const char *root)
{
	char *from = xasprintf("%s/.npmrc.mcpaudit-set-aside", root), *to = xasprintf("%s/.npmrc", root);

	if (from && to)
		rename(from, to);
	free(from);
	free(to);
}

/* The install runs outside the sandbox, so the package must not choose where it connects. */
char *deps_off_registry(const char *root)
{
	static const char *const sections[] = {"dependencies", "optionalDependencies", NULL};
	char *path = xasprintf("%s/package.json", root), *found = NULL;
	char *text = path ? xreadfile(path, DEPS_MANIFEST_MAX, NULL) : NULL;
	cJSON *pkg = NULL;

	if (!text)
		goto out;
	pkg = cJSON_Parse(text);
	for (const char *const *sec = sections; pkg && *sec && !found; sec++) {
		const cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(pkg, *sec)) {
			const char *v = cJSON_GetStringValue(d);
			/* "npm:other@1" aliases stay on the registry; "a/b" is GitHub; "x:" a protocol */
			if (v && strncmp(v, "npm:", 4) != 0 && (strchr(v, '/') || strchr(v, ':'))) {
				found = xasprintf("%s (%s)", d->string, v);
				break;
			}
		}
	}
out:
	cJSON_Delete(pkg);
	free(text);
	free(path);
	return found;
}

static int npm_install(const char *root, unsigned timeout_s, struct report *r)
{
	const char *argv[] = {"npm", "install", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund",
			      "--no-save", "--prefer-offline", "--loglevel=error", NULL};
	struct proc_result pr;
	char err[512];
	int rc = 0;

	if (proc_run(argv, root, timeout_s, &pr, err, sizeof err) != 0)
		rc = report_add_incomplete(r, "package.json", "dependencies not installed: %s", err);
	else if (pr.status != 0)
		rc = report_add_incomplete(r, "package.json", "dependencies not installed: npm install %s: %s",
					   pr.timed_out ? "timed out" : "failed", pr.err_tail);
	proc_result_free(&pr);
	return rc;
}

/* Wheels only: an sdist would run its setup.py here, outside the sandbox. */
static int pip_install(const char *root, const struct package_info *pkg, unsigned timeout_s, struct report *r)
{
	const char *fixed[] = {"python3", "-m", "pip", "install", "--only-binary", ":all:", "--no-compile",
			       "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "15",
			       "--target", LAUNCH_PYTHON_DEPS};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	const char **argv = calloc(nfixed + pkg->dependencies.len + 1, sizeof *argv);
	struct proc_result pr = {0};
	char err[512];
	int rc = 0;

	if (!argv)
		return -1;
	memcpy(argv, fixed, sizeof fixed);
	for (size_t i = 0; i < pkg->dependencies.len; i++)
		argv[nfixed + i] = pkg->dependencies.items[i];
	if (proc_run(argv, root, timeout_s, &pr, err, sizeof err) != 0)
		rc = report_add_incomplete(r, NULL, "Python dependencies not installed: %s", err);
	else if (pr.status != 0)
		rc = report_add_incomplete(r, NULL, "Python dependencies not installed (pip %s: %s); the server "
					   "may fail to start", pr.timed_out ? "timed out" : "failed", pr.err_tail);
	proc_result_free(&pr);
	free(argv);
	return rc;
}

int deps_install(const char *root, const struct package_info *pkg, unsigned timeout_s, struct report *r)
{
	if (!pkg || !pkg->dependencies.len)
		return 0;
	if (exists(root, "package.json")) {
		int rc;
		char *off;
		if (exists(root, "node_modules"))
			return 0;
		if ((off = deps_off_registry(root))) {
			rc = report_add_incomplete(r, "package.json", "dependencies not installed: %.300s is fetched from "
						   "outside the registry, and the install runs outside the sandbox",
						   off);
			free(off);
			return rc;
		}
		if (set_aside_npmrc(root, r) != 0)
			return report_add_incomplete(r, ".npmrc", "dependencies not installed: the package's .npmrc "
						     "could not be set aside");
		rc = npm_install(root, timeout_s, r);
		restore_npmrc(root);
		return rc;
	}
	if (pkg->ecosystem && !strcmp(pkg->ecosystem, "pypi"))
		return exists(root, LAUNCH_PYTHON_DEPS) ? 0 : pip_install(root, pkg, timeout_s, r);
	return 0;
}
