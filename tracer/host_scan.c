/* host_scan: every UNIX socket file and stray credential file under a folder, by directory
 * entry type (see the header). */
#include "tracer/host_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* getdents64 straight into a buffer per depth: an open, the reads and a close per folder,
 * where fdopendir and readdir added an fstat and two fcntl calls (7 calls where 4 do: the
 * walk is most of a trace's fixed cost). */
#define DENTS_BUF 32768

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct walk {
	struct host_scan *scan;
	const struct host_scan_plan *plan;
	char path[4096];
	char *buf[HOST_SCAN_DEPTH_MAX + 1];  /* one per depth, made on first use */
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
static unsigned char entry_type(int dfd, const char *name, unsigned char d_type)
{
	struct stat st;

	if (d_type != DT_UNKNOWN)
		return d_type;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
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

/* One directory entry of the folder open at dfd, its name already appended to w->path. */
static int visit(struct walk *w, int dfd, const char *name, unsigned char type, size_t len, int depth)
{
	if (type == DT_SOCK)
		return keep(w->scan, &w->scan->sockets, w->path);
	if (type == DT_REG)
		return cred_name(w, name) ? keep(w->scan, &w->scan->creds, w->path) : 0;
	if (type != DT_DIR || skipped(w, w->path))
		return 0;
	if (depth >= HOST_SCAN_DEPTH_MAX) {
		stop(w->scan, "directories nested deeper than 64");
		return 0;
	}
	int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return 0;
	return walk_dir(w, sub, len, depth + 1);
}

/* The entries of one getdents64 read (n bytes of w->buf[depth]). */
static int visit_all(struct walk *w, int dfd, size_t len, int depth, long n)
{
	int rc = 0;

	for (long off = 0; rc == 0 && off < n && !w->scan->cut_short;) {
		const struct linux_dirent64 *e = (const struct linux_dirent64 *)(w->buf[depth] + off);
		off += e->d_reclen;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->scan->entries > HOST_SCAN_ENTRIES_MAX) {
			stop(w->scan, "more than 4000000 directory entries");
			break;
		}
		unsigned char type = entry_type(dfd, e->d_name, e->d_type);
		if (type != DT_DIR && type != DT_SOCK && type != DT_REG)
			continue;
		int k = snprintf(w->path + len, sizeof w->path - len, "%s%s", len > 1 ? "/" : "", e->d_name);
		if (k < 0 || (size_t)k >= sizeof w->path - len)
			continue;  /* longer than PATH_MAX: no connect() or open() can name it either */
		rc = visit(w, dfd, e->d_name, type, len + (size_t)k, depth);
		w->path[len] = '\0';
	}
	return rc;
}

/* Walks the directory open at dfd, whose path is w->path (len bytes). Takes dfd. An
 * unreadable folder is passed over, as before (see the header). */
static int walk_dir(struct walk *w, int dfd, size_t len, int depth)
{
	int rc = 0;
	long n;

	if (!w->buf[depth] && !(w->buf[depth] = malloc(DENTS_BUF))) {
		close(dfd);
		return -1;
	}
	while (rc == 0 && !w->scan->cut_short && (n = syscall(SYS_getdents64, dfd, w->buf[depth], DENTS_BUF)) > 0)
		rc = visit_all(w, dfd, len, depth, n);
	close(dfd);
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
	int rc = walk_dir(&w, root, (size_t)n, 0);
	for (size_t i = 0; i < sizeof w.buf / sizeof w.buf[0]; i++)
		free(w.buf[i]);
	return rc;
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
