/* host_scan: every UNIX socket file and stray credential file under a folder, by directory
 * entry type (see the header). */
#include "tracer/host_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	struct host_scan *scan;
	const struct host_scan_plan *plan;
	char path[4096];
};

static bool skipped(const struct walk *w, const char *path)
{
	for (size_t i = 0; i < w->plan->nskip; i++)
		if (w->plan->skip[i] && w->plan->skip[i][0] && !strcmp(w->plan->skip[i], path))
			return true;
	return false;
}

static bool cred_name(const struct walk *w, const char *name)
{
	const char *nc = w->plan->not_creds;
	size_t n = nc ? strlen(nc) : 0;

	if (nc && !strncmp(w->path, nc, n) && (w->path[n] == '/' || w->path[n] == '\0'))
		return false;  /* the server's own folder: its .env is its configuration */
	for (const char *const *c = w->plan->cred_names; c && *c; c++)
		if (!strcmp(*c, name))
			return true;
	return false;
}

static void stop(struct host_scan *scan, const char *why)
{
	if (!scan->cut_short)
		snprintf(scan->why, sizeof scan->why, "%s", why);
	scan->cut_short = true;
}

/* The entry's type, from the directory when the file system gives it, else from lstat. */
static unsigned char entry_type(int dfd, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type;
	if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return DT_UNKNOWN;
	return S_ISDIR(st.st_mode) ? DT_DIR : S_ISSOCK(st.st_mode) ? DT_SOCK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
}

static int keep(struct host_scan *scan, void *list, const char *path)
{
	VEC(char *) *v = list;
	char *copy;

	if (v->len >= HOST_SCAN_FOUND_MAX) {
		stop(scan, "more than 2048 socket or credential files");
		return 0;
	}
	copy = strdup(path);
	if (!copy || vec_push(v, copy) != 0) {
		free(copy);
		return -1;
	}
	return 0;
}

static int walk_dir(struct walk *w, int dfd, size_t len, int depth);

/* One directory entry, its name already appended to w->path. */
static int visit(struct walk *w, DIR *d, const struct dirent *e, unsigned char type, size_t len, int depth)
{
	if (type == DT_SOCK)
		return keep(w->scan, &w->scan->sockets, w->path);
	if (type == DT_REG)
		return cred_name(w, e->d_name) ? keep(w->scan, &w->scan->creds, w->path) : 0;
	if (type != DT_DIR || skipped(w, w->path))
		return 0;
	int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return 0;
	if (depth >= HOST_SCAN_DEPTH_MAX) {
		close(sub);
		stop(w->scan, "directories nested deeper than 64");
		return 0;
	}
	return walk_dir(w, sub, len, depth + 1);
}

/* Walks the directory open at dfd, whose path is w->path (len bytes). Takes dfd. */
static int walk_dir(struct walk *w, int dfd, size_t len, int depth)
{
	DIR *d = fdopendir(dfd);
	int rc = 0;

	if (!d) {
		close(dfd);
		return 0;
	}
	for (struct dirent *e; rc == 0 && !w->scan->cut_short && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->scan->entries > HOST_SCAN_ENTRIES_MAX) {
			stop(w->scan, "more than 4000000 directory entries");
			break;
		}
		unsigned char type = entry_type(dirfd(d), e);
		if (type != DT_DIR && type != DT_SOCK && type != DT_REG)
			continue;
		int n = snprintf(w->path + len, sizeof w->path - len, "%s%s", len > 1 ? "/" : "", e->d_name);
		if (n < 0 || (size_t)n >= sizeof w->path - len)
			continue;  /* longer than PATH_MAX: no connect() or open() can name it either */
		rc = visit(w, d, e, type, len + (size_t)n, depth);
		w->path[len] = '\0';
	}
	closedir(d);
	return rc;
}

int host_scan_run(struct host_scan *scan, const struct host_scan_plan *plan)
{
	struct walk w = {.scan = scan, .plan = plan};
	int n = snprintf(w.path, sizeof w.path, "%s", plan->start);
	int root = open(plan->start, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (root < 0 || n <= 0 || (size_t)n >= sizeof w.path) {
		if (root >= 0)
			close(root);
		return 0;  /* nothing there to reach */
	}
	return walk_dir(&w, root, (size_t)n, 0);
}

static void free_all(void *list)
{
	VEC(char *) *v = list;

	for (size_t i = 0; i < v->len; i++)
		free(v->items[i]);
	vec_free(v);
}

void host_scan_free(struct host_scan *scan)
{
	if (!scan)
		return;
	free_all(&scan->sockets);
	free_all(&scan->creds);
}
