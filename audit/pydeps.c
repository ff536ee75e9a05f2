/* pydeps: Python dependencies as wheels only, each requirement checked, nothing built. */
#include "audit/pydeps.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "audit/launch.h"
#include "audit/pep508.h"
#include "audit/proc.h"
#include "audit/source.h"
#include "core/strbuf.h"
#include "core/vec.h"

#define METADATA_MAX ((size_t)1 << 20)

/* pip's fixed options for both steps: no prompts, no retries, no version check. */
#define PIP_COMMON "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "15"

/* A project asked for, and with which extras (",a,b,"). */
struct wanted {
	char normal[PEP508_NAME_MAX + 1];
	char extras[PEP508_EXTRAS_MAX];
};

/* Owned strings: requirements or wheel paths (a VEC the functions can name). */
struct path_list {
	char **items;
	size_t len, cap;
};

struct pydeps {
	struct report *r;
	unsigned timeout_s;
	char *scratch;             /* private folder, removed at the end */
	char *cwd;                 /* scratch/empty: where pip runs */
	char *target;              /* root/LAUNCH_PYTHON_DEPS */
	VEC(struct wanted) seen;
	struct path_list queue;    /* requirements for the next round */
	bool capped;
};

static void path_list_free(struct path_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	vec_free(l);
}

static int refuse(struct pydeps *p, const char *text, const char *why)
{
	return report_add_incomplete(p->r, NULL, "Python dependency \"%.200s\" not installed: %s; it was not "
				     "passed to pip", text, why);
}

static const struct wanted *seen_project(const struct pydeps *p, const char *normal)
{
	for (size_t i = 0; i < p->seen.len; i++)
		if (!strcmp(p->seen.items[i].normal, normal))
			return &p->seen.items[i];
	return NULL;
}

/* Queue text for the next round. parent_extras: the extras the requiring project was asked
 * with (NULL for the package's own requirements). A requirement only for extras
 * ("; extra == 'socks'") is taken, without its marker, when one of those was asked for;
 * other markers go to pip, which skips what does not match this Python. */
static int queue(struct pydeps *p, const char *text, const char *parent_extras)
{
	struct pep508 req;
	struct wanted w = {0};
	char why[256], *copy;

	if (!pep508_parse(text, &req, why, sizeof why))
		return refuse(p, text, why);
	if (req.marker_extras[0] && parent_extras) {
		bool asked = false;
		for (const char *e = req.marker_extras + 1; *e && !asked; e += strcspn(e, ",") + 1) {
			char one[PEP508_NAME_MAX + 1];
			snprintf(one, sizeof one, "%.*s", (int)strcspn(e, ","), e);
			asked = pep508_has_extra(parent_extras, one);
		}
		if (!asked)
			return 0;
		copy = xstrndup(text + req.plain_off, req.plain_len);
	} else {
		copy = xstrdup(text + req.plain_off);
	}
	if (!copy)
		return -1;
	if (seen_project(p, req.normal) || p->seen.len >= PYDEPS_PROJECTS_MAX) {
		p->capped |= !seen_project(p, req.normal);
		free(copy);
		return 0;
	}
	snprintf(w.normal, sizeof w.normal, "%s", req.normal);
	snprintf(w.extras, sizeof w.extras, "%s", req.extras);
	if (vec_push(&p->seen, w) != 0 || vec_push(&p->queue, copy) != 0) {
		free(copy);
		return -1;
	}
	return 0;
}

/* A file name pip may get back as a wheel to install: "dist-ver-tags.whl" in the
 * characters wheel file names use. */
static bool wheel_name(const char *name)
{
	size_t n = strlen(name);

	if (n < 5 || strcmp(name + n - 4, ".whl") != 0 || !isalnum((unsigned char)name[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-+!", name[i]))
			return false;
	return true;
}

/* The wheels pip downloaded into dir, as paths; a non-wheel refuses the whole round (it
 * would be an sdist pip meant to build). Returns 0, 1 when refused (reported), -1. */
static int downloaded_wheels(struct pydeps *p, const char *dir, struct path_list *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return report_add_incomplete(p->r, NULL, "Python dependencies not installed: %s: %s", dir,
					     strerror(errno)) ? -1 : 1;
	while (rc == 0 && (e = readdir(d))) {
		char *path;
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (!path)
			rc = -1;
		else if (!wheel_name(e->d_name) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			rc = report_add_incomplete(p->r, NULL, "Python dependencies not installed: pip returned "
						   "\"%.200s\", which is not a wheel (nothing is built for the audit)",
						   e->d_name) ? -1 : 1;
		else if (vec_push(out, path) == 0)
			path = NULL;
		else
			rc = -1;
		free(path);
	}
	closedir(d);
	return rc;
}

/* Run pip with fixed then the checked arguments after "--". Returns 0 when it succeeded,
 * 1 when it failed (reported, naming step), -1. */
static int run_pip(struct pydeps *p, const char *const *fixed, size_t nfixed, char *const *args, size_t nargs,
		   const char *step)
{
	const char **argv = calloc(nfixed + 1 + nargs + 1, sizeof *argv);
	struct proc_result pr = {0};
	char err[512];
	int rc = 0;

	if (!argv)
		return -1;
	memcpy(argv, fixed, nfixed * sizeof *fixed);
	argv[nfixed] = "--";
	memcpy(argv + nfixed + 1, args, nargs * sizeof *args);
	if (proc_run(argv, p->cwd, p->timeout_s, &pr, err, sizeof err) != 0)
		rc = report_add_incomplete(p->r, NULL, "Python dependencies not installed: %s", err) ? -1 : 1;
	else if (pr.status != 0)
		rc = report_add_incomplete(p->r, NULL, "Python dependencies not installed (pip %s %s: %s); the server "
					   "may fail to start", step, pr.timed_out ? "timed out" : "failed",
					   pr.err_tail) ? -1 : 1;
	proc_result_free(&pr);
	free(argv);
	return rc;
}

/* "dist-ver-tags.whl" -> target/dist-ver.dist-info/METADATA (the wheel spec's layout). */
static char *installed_metadata(const struct pydeps *p, const char *wheel_path)
{
	const char *base = strrchr(wheel_path, '/') ? strrchr(wheel_path, '/') + 1 : wheel_path;
	const char *dash = strchr(base, '-');
	const char *dash2 = dash ? strchr(dash + 1, '-') : NULL;

	if (!dash2)
		return NULL;
	return xasprintf("%s/%.*s.dist-info/METADATA", p->target, (int)(dash2 - base), base);
}

/* Queue what an installed wheel requires (core metadata's Requires-Dist headers). */
static int queue_requirements_of(struct pydeps *p, const char *wheel_path)
{
	char *path = installed_metadata(p, wheel_path), *text = path ? xreadfile(path, METADATA_MAX, NULL) : NULL;
	char normal[PEP508_NAME_MAX + 1] = "", value[1024];
	const struct wanted *w;
	int rc = 0;

	if (!text) {
		rc = report_add_incomplete(p->r, NULL, "Python dependencies: %s has no readable METADATA; what it "
					   "requires was not installed", wheel_path);
		goto out;
	}
	for (const char *l = text; *l && *l != '\n' && rc == 0; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		size_t n = strcspn(l, "\r\n");
		if (!strncasecmp(l, "Name:", 5)) {
			const char *v = l + 5 + strspn(l + 5, " \t");
			pep508_normalise(v, (size_t)(l + n - v), normal, sizeof normal);
		} else if (!strncasecmp(l, "Requires-Dist:", 14)) {
			size_t skip = 14 + strspn(l + 14, " \t");
			snprintf(value, sizeof value, "%.*s", (int)(n > skip ? n - skip : 0), l + skip);
			w = seen_project(p, normal);
			rc = queue(p, value, w ? w->extras : "");
		}
	}
out:
	free(text);
	free(path);
	return rc;
}

/* One round: download the queued requirements as wheels, install them, queue theirs.
 * Returns 0, 1 when the round failed (reported: stop), -1. */
static int run_round(struct pydeps *p, unsigned round)
{
	struct path_list asked = p->queue, wheels = {0};
	char *dir = xasprintf("%s/wheels-%u", p->scratch, round);
	int rc = -1;

	memset(&p->queue, 0, sizeof p->queue);
	if (!dir || mkdir(dir, 0700) != 0)
		goto out;
	{
		const char *download[] = {"python3", "-m", "pip", "download", "--only-binary", ":all:", "--no-deps",
					  PIP_COMMON, "-d", dir};
		rc = run_pip(p, download, sizeof download / sizeof *download, asked.items, asked.len, "download");
	}
	if (rc == 0)
		rc = downloaded_wheels(p, dir, &wheels);
	if (rc == 0 && wheels.len) {
		const char *install[] = {"python3", "-m", "pip", "install", "--no-index", "--no-deps", "--only-binary",
					 ":all:", "--no-compile", PIP_COMMON, "--target", p->target};
		rc = run_pip(p, install, sizeof install / sizeof *install, wheels.items, wheels.len, "install");
	}
	for (size_t i = 0; rc == 0 && i < wheels.len; i++)
		rc = queue_requirements_of(p, wheels.items[i]);
out:
	path_list_free(&asked);
	path_list_free(&wheels);
	free(dir);
	return rc;
}

static int make_scratch(struct pydeps *p)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/mcpaudit-pip-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!path || !mkdtemp(path)) {
		free(path);
		return report_add_incomplete(p->r, NULL, "Python dependencies not installed: no private folder: %s",
					     strerror(errno)) ? -1 : 1;
	}
	p->scratch = path;
	p->cwd = xasprintf("%s/empty", path);
	if (!p->cwd || mkdir(p->cwd, 0700) != 0)
		return -1;
	return 0;
}

int pydeps_install(const char *root, char *const *requirements, size_t n, unsigned timeout_s, struct report *r)
{
	struct pydeps p = {.r = r, .timeout_s = timeout_s};
	unsigned round = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = queue(&p, requirements[i], NULL);
	if (rc != 0 || !p.queue.len)
		goto out;
	if (!(p.target = xasprintf("%s/%s", root, LAUNCH_PYTHON_DEPS)) || (rc = make_scratch(&p)) != 0)
		goto out;
	while (rc == 0 && p.queue.len && round < PYDEPS_ROUNDS_MAX)
		rc = run_round(&p, round++);
	if (rc == 0 && p.queue.len)
		rc = report_add_incomplete(r, NULL, "Python dependencies: more than %d levels of requirements; the "
					   "deepest were not installed", PYDEPS_ROUNDS_MAX);
	if (rc == 0 && p.capped)
		rc = report_add_incomplete(r, NULL, "Python dependencies: more than %d projects; the rest were not "
					   "installed", PYDEPS_PROJECTS_MAX);
out:
	if (p.scratch)
		source_remove_tree(p.scratch);
	path_list_free(&p.queue);
	vec_free(&p.seen);
	free(p.scratch);
	free(p.cwd);
	free(p.target);
	return rc < 0 ? -1 : 0;
}
