/* launch: the command that starts an audited package's server. */
#include "audit/launch.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "core/json_read.h"
#include "analyzer/lang.h"
#include "core/strbuf.h"

#define MANIFEST_MAX (1 << 20)

static bool is_file(const char *root, const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel);
	struct stat st;
	bool ok = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

/* A path from the manifest must stay inside the package. */
static bool safe_relative(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return false;
	for (const char *p = rel; (p = strstr(p, "..")); p += 2)
		if ((p == rel || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return false;
	return true;
}

static int push(struct launch *l, const char *s)
{
	char *c = xstrdup(s);

	if (!c || vec_push(&l->argv, c) != 0) {
		free(c);
		return -1;
	}
	return 0;
}

/* node, python3 or the file itself, from its name and first line. */
static const char *interpreter_for(const char *root, const char *rel)
{
	char *path = xasprintf("%s/%s", root, rel);
	FILE *f = path ? fopen(path, "rb") : NULL;
	char line[256] = "";
	enum grammar g;

	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	free(path);
	if (!strncmp(line, "#!", 2) && strstr(line, "python"))
		return "python3";
	if ((!strncmp(line, "#!", 2) && strstr(line, "node")) || lang_node_runs(rel))
		return "node";
	if (lang_for_path(rel, &g) && g == GRAMMAR_PYTHON)
		return "python3";
	if (!strncmp(line, "#!", 2) && strstr(line, "sh"))
		return "sh";
	return "node";  /* an npm bin without an extension is a node script nearly always */
}

static int run_file(struct launch *l, const char *root, const char *rel, const char *how)
{
	char *arg = xasprintf("./%s", rel);
	int rc = arg && push(l, interpreter_for(root, rel)) == 0 && push(l, arg) == 0 ? 0 : -1;

	free(arg);
	l->how = xstrdup(how);
	return rc;
}

/* The bin to run: the one named like the package, else the only or the first one. */
static const char *pick_bin(const cJSON *pkg, char *name_out, size_t len)
{
	const cJSON *bin = cJSON_GetObjectItemCaseSensitive(pkg, "bin"), *b;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pkg, "name"));
	const char *base = name && strchr(name, '/') ? strchr(name, '/') + 1 : name;

	if (cJSON_IsString(bin)) {
		snprintf(name_out, len, "%s", base ? base : "bin");
		return bin->valuestring;
	}
	cJSON_ArrayForEach(b, bin)
		if (cJSON_IsString(b) && base && !strcmp(b->string, base)) {
			snprintf(name_out, len, "%s", b->string);
			return b->valuestring;
		}
	cJSON_ArrayForEach(b, bin)
		if (cJSON_IsString(b)) {
			snprintf(name_out, len, "%s", b->string);
			return b->valuestring;
		}
	return NULL;
}

static int from_package_json(struct launch *l, const char *root)
{
	size_t len = 0;
	char *path = xasprintf("%s/package.json", root), *text = path ? xreadfile(path, MANIFEST_MAX, &len) : NULL;
	cJSON *pkg = json_read_tree(text, len, JSON_STRICT);  /* as npm reads it: the last duplicate */
	const char *rel, *start;
	char name[128], how[300];
	int rc = 1;

	if (!pkg)
		goto out;
	if ((rel = pick_bin(pkg, name, sizeof name)) && safe_relative(rel) && is_file(root, rel)) {
		snprintf(how, sizeof how, "bin %s (%s)", name, rel);
		rc = run_file(l, root, rel + (strncmp(rel, "./", 2) ? 0 : 2), how);
		goto out;
	}
	rel = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pkg, "main"));
	if (rel && safe_relative(rel) && is_file(root, rel)) {
		snprintf(how, sizeof how, "main %s", rel);
		rc = run_file(l, root, rel + (strncmp(rel, "./", 2) ? 0 : 2), how);
		goto out;
	}
	start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(pkg, "scripts"), "start"));
	if (start) {
		rc = push(l, "sh") == 0 && push(l, "-c") == 0 && push(l, start) == 0 ? 0 : -1;
		l->how = xasprintf("start script: %s", start);
		goto out;
	}
	if (is_file(root, "index.js"))
		rc = run_file(l, root, "index.js", "index.js");
out:
	cJSON_Delete(pkg);
	free(text);
	free(path);
	return rc;
}

/* "name = module.sub:function" from a [project.scripts] or [console_scripts] section. */
static bool entry_point(const char *text, const char *section, char *name, size_t nlen, char *target, size_t tlen)
{
	const char *p = strstr(text, section);

	while (p && (p = strchr(p, '\n'))) {
		char line[512], *eq;
		size_t n;
		p++;
		n = strcspn(p, "\n");
		if (*p == '[')
			return false;
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		if (!(eq = strchr(line, '=')) || line[0] == '#')
			continue;
		*eq = '\0';
		if (sscanf(line, " %127[A-Za-z0-9_.-]", name) != 1 ||
		    sscanf(eq + 1, " \"%255[A-Za-z0-9_.:]\"", target) != 1)
			if (sscanf(eq + 1, " %255[A-Za-z0-9_.:]", target) != 1)
				continue;
		(void)nlen;
		(void)tlen;
		return strchr(target, ':') != NULL;
	}
	return false;
}

/* A wheel's entry points live in NAME-VERSION.dist-info/entry_points.txt. */
static char *wheel_entry_points(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;
	char *text = NULL;

	while (d && !text && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 10 && !strcmp(e->d_name + n - 10, ".dist-info")) {
			char *p = xasprintf("%s/%s/entry_points.txt", root, e->d_name);
			text = p ? xreadfile(p, MANIFEST_MAX, NULL) : NULL;
			free(p);
		}
	}
	if (d)
		closedir(d);
	return text;
}

/* A package with a __main__.py (PKG/ or src/PKG/) runs as `python3 -m PKG`. */
static int main_module(struct launch *l, const char *root)
{
	static const char *const bases[] = {"", "src/", NULL};
	int rc = 1;

	for (const char *const *b = bases; *b && rc == 1; b++) {
		char *dir = xasprintf("%s/%s", root, *b);
		DIR *d = dir ? opendir(dir) : NULL;
		struct dirent *e;
		while (d && rc == 1 && (e = readdir(d))) {
			char *rel;
			if (e->d_name[0] == '.' || e->d_name[0] == '_')
				continue;
			rel = xasprintf("%s%s/__main__.py", *b, e->d_name);
			if (rel && strspn(e->d_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
				   strlen(e->d_name) && is_file(root, rel)) {
				rc = push(l, "python3") == 0 && push(l, "-m") == 0 && push(l, e->d_name) == 0 ? 0 : -1;
				l->how = xasprintf("python3 -m %s (%s)", e->d_name, rel);
			}
			free(rel);
		}
		if (d)
			closedir(d);
		free(dir);
	}
	return rc;
}

static int from_python(struct launch *l, const char *root)
{
	static const char *const scripts[] = {"server.py", "main.py", "__main__.py", "app.py", NULL};
	char *path = xasprintf("%s/pyproject.toml", root), *text = path ? xreadfile(path, MANIFEST_MAX, NULL) : NULL;
	char name[128], target[256];
	bool found = text && entry_point(text, "[project.scripts]", name, sizeof name, target, sizeof target);
	int rc = 1;

	if (!found) {
		free(text);
		text = wheel_entry_points(root);
		found = text && entry_point(text, "[console_scripts]", name, sizeof name, target, sizeof target);
	}
	if (found) {
		char *colon = strchr(target, ':');
		char *code;
		*colon = '\0';
		/* "module:object.attribute" as pip's console-script wrapper resolves it */
		code = xasprintf("import sys, importlib, functools; sys.argv[0] = '%s'; sys.exit(functools.reduce("
				 "getattr, '%s'.split('.'), importlib.import_module('%s'))())",
				 name, colon + 1, target);
		rc = code && push(l, "python3") == 0 && push(l, "-c") == 0 && push(l, code) == 0 ? 0 : -1;
		free(code);
		l->how = xasprintf("Python entry point %s = %s:%s", name, target, colon + 1);
		goto out;
	}
	for (const char *const *s = scripts; *s && rc == 1; s++)
		if (is_file(root, *s))
			rc = run_file(l, root, *s, *s);
	if (rc == 1)
		rc = main_module(l, root);
out:
	free(text);
	free(path);
	return rc;
}

int launch_find(const char *root, const struct package_info *pkg, const char *const *extra_args,
		struct launch *out, char *why, size_t whylen)
{
	int rc = from_package_json(out, root);

	(void)pkg;
	if (rc == 1)
		rc = from_python(out, root);
	if (rc == 1) {
		snprintf(why, whylen, "no way to start the server was found (no bin, main, start script or "
			 "index.js in package.json; no [project.scripts], console script, server.py or main.py)");
		return -1;
	}
	for (const char *const *a = extra_args; rc == 0 && a && *a; a++)
		rc = push(out, *a);
	/* the package's own folder and a src/ layout are importable, as after an install */
	if (rc == 0 && (!strcmp(out->argv.items[0], "python3")))
		rc = vec_push(&out->env, xstrdup("PYTHONPATH=.:src:" LAUNCH_PYTHON_DEPS));
	if (rc == 0)
		rc = vec_push(&out->argv, NULL);
	if (rc != 0)
		snprintf(why, whylen, "out of memory");
	return rc;
}

void launch_free(struct launch *l)
{
	for (size_t i = 0; i < l->argv.len; i++)
		free(l->argv.items[i]);
	vec_free(&l->argv);
	for (size_t i = 0; i < l->env.len; i++)
		free(l->env.items[i]);
	vec_free(&l->env);
	free(l->how);
}
